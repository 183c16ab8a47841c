using System.Globalization;
using Actors.Wal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Actors.Persistence.Wal.Hosting;

/// <summary>
/// Binds <see cref="WriteAheadLogStoreOptions"/> from a configuration section (for example
/// <c>Actors:Storage:Default</c>). Every key is optional; an unknown key or a value that does not parse fails
/// with a message naming the key, so typos surface at silo start.
/// </summary>
public static class WriteAheadLogStoreConfiguration
{
    /// <summary>The configuration section that holds the stores: <c>Actors:Storage</c>; each store is a child named after it.</summary>
    public const string SectionPath = "Actors:Storage";

    private static readonly string[] Keys =
    [
        nameof(WriteAheadLogStoreOptions.Directory),
        nameof(WriteAheadLogStoreOptions.SyncPolicy),
        nameof(WriteAheadLogStoreOptions.SyncInterval),
        nameof(WriteAheadLogStoreOptions.SegmentSizeBytes),
        nameof(WriteAheadLogStoreOptions.MaxEventSizeBytes),
        nameof(WriteAheadLogStoreOptions.MaxRecordSizeBytes),
        nameof(WriteAheadLogStoreOptions.CheckpointEveryEvents),
        nameof(WriteAheadLogStoreOptions.CheckpointEveryBytes),
        nameof(WriteAheadLogStoreOptions.CheckpointOnDeactivation),
        nameof(WriteAheadLogStoreOptions.RecoveryMode),
        nameof(WriteAheadLogStoreOptions.PreallocateSegments),
        nameof(WriteAheadLogStoreOptions.MaxCachedGrains),
        nameof(WriteAheadLogStoreOptions.EventHistory),
        nameof(WriteAheadLogStoreOptions.HistoryDuration),
        nameof(WriteAheadLogStoreOptions.HistoryVersions),
        nameof(WriteAheadLogStoreOptions.Compression),
        nameof(WriteAheadLogStoreOptions.UseBinarySerializer),
        nameof(WriteAheadLogStoreOptions.EncryptionKeyFile),
        nameof(WriteAheadLogStoreOptions.EncryptionKeysVariable),
    ];

    /// <summary>Applies the values present in <paramref name="section"/> to <paramref name="options"/>.</summary>
    /// <exception cref="OptionsValidationException">A key is unknown or a value does not parse; the message names the key.</exception>
    public static void Bind(IConfigurationSection section, WriteAheadLogStoreOptions options, string storeName)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (!Keys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"Unknown write-ahead-log store setting '{child.Path}'; known settings: {string.Join(", ", Keys)}.");
            }
        }

        string? Get(string key) => section[key];
        void Fail(string key, string expected) => failures.Add($"'{section.Path}:{key}' = '{section[key]}' is not {expected}.");

        if (Get(nameof(options.Directory)) is { } directory)
        {
            options.Directory = directory;
        }

        if (Get(nameof(options.EncryptionKeyFile)) is { } keyFile)
        {
            options.EncryptionKeyFile = keyFile;
        }

        if (Get(nameof(options.EncryptionKeysVariable)) is { } keysVariable)
        {
            options.EncryptionKeysVariable = keysVariable;
        }

        Parse<SyncPolicy>(nameof(options.SyncPolicy), v => options.SyncPolicy = v, "one of Always, Interval, None");
        Parse<RecoveryMode>(nameof(options.RecoveryMode), v => options.RecoveryMode = v, "one of TolerateTornTail, AbsoluteConsistency, Salvage");
        Parse<EventHistoryPolicy>(nameof(options.EventHistory), v => options.EventHistory = v, "one of KeepAll, ReclaimAfterCheckpoint, KeepFor, KeepLastVersions");
        Parse<RecordCompression>(nameof(options.Compression), v => options.Compression = v, "one of None, Brotli");

        if (Get(nameof(options.SyncInterval)) is { } interval)
        {
            if (TimeSpan.TryParse(interval, CultureInfo.InvariantCulture, out TimeSpan span))
            {
                options.SyncInterval = span;
            }
            else
            {
                Fail(nameof(options.SyncInterval), "a time span such as 00:00:00.100");
            }
        }

        if (Get(nameof(options.HistoryDuration)) is { } history)
        {
            if (TimeSpan.TryParse(history, CultureInfo.InvariantCulture, out TimeSpan span))
            {
                options.HistoryDuration = span;
            }
            else
            {
                Fail(nameof(options.HistoryDuration), "a time span such as 30.00:00:00");
            }
        }

        ParseLong(nameof(options.SegmentSizeBytes), v => options.SegmentSizeBytes = v);
        ParseLong(nameof(options.CheckpointEveryBytes), v => options.CheckpointEveryBytes = v);
        ParseInt(nameof(options.MaxEventSizeBytes), v => options.MaxEventSizeBytes = v);
        ParseInt(nameof(options.MaxRecordSizeBytes), v => options.MaxRecordSizeBytes = v);
        ParseInt(nameof(options.CheckpointEveryEvents), v => options.CheckpointEveryEvents = v);
        ParseInt(nameof(options.MaxCachedGrains), v => options.MaxCachedGrains = v);
        ParseInt(nameof(options.HistoryVersions), v => options.HistoryVersions = v);
        ParseBool(nameof(options.CheckpointOnDeactivation), v => options.CheckpointOnDeactivation = v);
        ParseBool(nameof(options.PreallocateSegments), v => options.PreallocateSegments = v);
        ParseBool(nameof(options.UseBinarySerializer), v => options.UseBinarySerializer = v);

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(storeName, typeof(WriteAheadLogStoreOptions), failures);
        }

        void Parse<TEnum>(string key, Action<TEnum> set, string expected)
            where TEnum : struct, Enum
        {
            if (Get(key) is { } text)
            {
                if (Enum.TryParse(text, ignoreCase: true, out TEnum value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text.Trim()[0]))
                {
                    set(value);
                }
                else
                {
                    Fail(key, expected);
                }
            }
        }

        void ParseLong(string key, Action<long> set)
        {
            if (Get(key) is { } text)
            {
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
                {
                    set(value);
                }
                else
                {
                    Fail(key, "an integer");
                }
            }
        }

        void ParseInt(string key, Action<int> set)
        {
            if (Get(key) is { } text)
            {
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
                {
                    set(value);
                }
                else
                {
                    Fail(key, "a 32-bit integer");
                }
            }
        }

        void ParseBool(string key, Action<bool> set)
        {
            if (Get(key) is { } text)
            {
                if (bool.TryParse(text, out bool value))
                {
                    set(value);
                }
                else
                {
                    Fail(key, "true or false");
                }
            }
        }
    }
}
