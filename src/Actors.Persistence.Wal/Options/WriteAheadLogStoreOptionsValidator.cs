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

        if (!Enum.IsDefined(options.EventHistory))
        {
            failures.Add($"{prefix}{nameof(options.EventHistory)} must be {nameof(EventHistoryPolicy.KeepAll)}, {nameof(EventHistoryPolicy.ReclaimAfterCheckpoint)} or {nameof(EventHistoryPolicy.KeepFor)}; it is {(int)options.EventHistory}.");
        }

        if (options.EventHistory == EventHistoryPolicy.KeepFor && options.HistoryDuration is not { Ticks: > 0 })
        {
            failures.Add($"{prefix}{nameof(options.HistoryDuration)} must be set to a positive time span with {nameof(options.EventHistory)} = {nameof(EventHistoryPolicy.KeepFor)}; it is {options.HistoryDuration?.ToString() ?? "not set"}.");
        }

        if (options.EventHistory != EventHistoryPolicy.KeepFor && options.HistoryDuration is { } duration)
        {
            failures.Add($"{prefix}{nameof(options.HistoryDuration)} ({duration}) applies only with {nameof(options.EventHistory)} = {nameof(EventHistoryPolicy.KeepFor)}; it is {options.EventHistory}.");
        }

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
}
