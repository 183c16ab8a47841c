using Actors.Wal;
using Microsoft.Extensions.Options;

namespace Actors.Persistence.Wal;

/// <summary>Validates <see cref="WriteAheadLogStoreOptions"/>; every failure names the store and the setting.</summary>
public sealed class WriteAheadLogStoreOptionsValidator : IValidateOptions<WriteAheadLogStoreOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WriteAheadLogStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        string prefix = string.IsNullOrEmpty(name) ? "" : $"[{name}] ";

        if (options.MaxEventSizeBytes < 64)
        {
            failures.Add($"{prefix}{nameof(options.MaxEventSizeBytes)} must be at least 64; it is {options.MaxEventSizeBytes}.");
        }
        else if (options.MaxEventSizeBytes > options.MaxRecordSizeBytes)
        {
            failures.Add($"{prefix}{nameof(options.MaxEventSizeBytes)} ({options.MaxEventSizeBytes}) must be at most {nameof(options.MaxRecordSizeBytes)} ({options.MaxRecordSizeBytes}).");
        }

        if (options.CheckpointEveryEvents < 0)
        {
            failures.Add($"{prefix}{nameof(options.CheckpointEveryEvents)} must not be negative (0 disables); it is {options.CheckpointEveryEvents}.");
        }

        if (options.CheckpointEveryBytes < 0)
        {
            failures.Add($"{prefix}{nameof(options.CheckpointEveryBytes)} must not be negative (0 disables); it is {options.CheckpointEveryBytes}.");
        }

        failures.AddRange(HistoryFailures(prefix, options.EventHistory, options.HistoryDuration, options.HistoryVersions));

        if (!Enum.IsDefined(options.Compression))
        {
            failures.Add($"{prefix}{nameof(options.Compression)} must be {nameof(RecordCompression.None)} or {nameof(RecordCompression.Brotli)}; it is {(int)options.Compression}.");
        }

        if (options.MaxCachedGrains < 1)
        {
            failures.Add($"{prefix}{nameof(options.MaxCachedGrains)} must be at least 1; it is {options.MaxCachedGrains}.");
        }

        int sources = (options.EncryptionKeyFile is null ? 0 : 1) + (options.EncryptionKeysVariable is null ? 0 : 1) + (options.EncryptionKeys is null ? 0 : 1);
        bool keysReadable = true;
        if (sources > 1)
        {
            failures.Add($"{prefix}set at most one of {nameof(options.EncryptionKeyFile)}, {nameof(options.EncryptionKeysVariable)} and {nameof(options.EncryptionKeys)}.");
            keysReadable = false;
        }
        else
        {
            try
            {
                options.ResolveEncryption();
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                string setting = options.EncryptionKeyFile is not null ? nameof(options.EncryptionKeyFile) : nameof(options.EncryptionKeysVariable);
                failures.Add($"{prefix}{setting}: the encryption keys cannot be read: {ex.Message}");
                keysReadable = false;
            }
        }

        if (keysReadable)
        {
            ValidateOptionsResult engine = new WriteAheadLogOptionsValidator().Validate(name, options.ToLogOptions());
            if (engine.Failed)
            {
                failures.AddRange(engine.Failures);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// What is wrong with a history setting (the store's, or a grain class's <see cref="WriteAheadLogAttribute"/>): an
    /// undefined policy, a duration or version count missing for its policy or given without it. Each failure starts with
    /// <paramref name="prefix"/> (the store, or the store and the class).
    /// </summary>
    internal static IEnumerable<string> HistoryFailures(string prefix, EventHistoryPolicy policy, TimeSpan? duration, int? versions)
    {
        if (!Enum.IsDefined(policy))
        {
            yield return $"{prefix}{nameof(WriteAheadLogStoreOptions.EventHistory)} must be {nameof(EventHistoryPolicy.KeepAll)}, {nameof(EventHistoryPolicy.ReclaimAfterCheckpoint)}, {nameof(EventHistoryPolicy.KeepFor)} or {nameof(EventHistoryPolicy.KeepLastVersions)}; it is {(int)policy}.";
        }

        if (policy == EventHistoryPolicy.KeepFor && duration is not { Ticks: > 0 })
        {
            yield return $"{prefix}{nameof(WriteAheadLogStoreOptions.HistoryDuration)} must be set to a positive time span with {nameof(WriteAheadLogStoreOptions.EventHistory)} = {nameof(EventHistoryPolicy.KeepFor)}; it is {duration?.ToString() ?? "not set"}.";
        }

        if (policy != EventHistoryPolicy.KeepFor && duration is { } d)
        {
            yield return $"{prefix}{nameof(WriteAheadLogStoreOptions.HistoryDuration)} ({d}) applies only with {nameof(WriteAheadLogStoreOptions.EventHistory)} = {nameof(EventHistoryPolicy.KeepFor)}; it is {policy}.";
        }

        if (policy == EventHistoryPolicy.KeepLastVersions && versions is not > 0)
        {
            yield return $"{prefix}{nameof(WriteAheadLogStoreOptions.HistoryVersions)} must be at least 1 with {nameof(WriteAheadLogStoreOptions.EventHistory)} = {nameof(EventHistoryPolicy.KeepLastVersions)}; it is {versions?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not set"}.";
        }

        if (policy != EventHistoryPolicy.KeepLastVersions && versions is { } v)
        {
            yield return $"{prefix}{nameof(WriteAheadLogStoreOptions.HistoryVersions)} ({v}) applies only with {nameof(WriteAheadLogStoreOptions.EventHistory)} = {nameof(EventHistoryPolicy.KeepLastVersions)}; it is {policy}.";
        }
    }
}
