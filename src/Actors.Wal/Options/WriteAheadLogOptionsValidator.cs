using Microsoft.Extensions.Options;

namespace Actors.Wal;

/// <summary>Validates <see cref="WriteAheadLogOptions"/>; every failure names the setting.</summary>
public sealed class WriteAheadLogOptionsValidator : IValidateOptions<WriteAheadLogOptions>
{
    /// <summary>The smallest allowed segment size: 64 KiB.</summary>
    public const long MinSegmentSizeBytes = 64 * 1024;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WriteAheadLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        string prefix = string.IsNullOrEmpty(name) ? "" : $"[{name}] ";

        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add($"{prefix}{nameof(options.Directory)} is required.");
        }
        else if (options.Directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"{prefix}{nameof(options.Directory)} '{options.Directory}' contains invalid path characters.");
        }

        if (options.Encryption is { } keys && keys.CurrentKey is null)
        {
            failures.Add($"{prefix}{nameof(options.Encryption)} has no current key: an encryption key provider must name the key new payloads are sealed with.");
        }

        if (!Enum.IsDefined(options.SyncPolicy))
        {
            failures.Add($"{prefix}{nameof(options.SyncPolicy)} '{options.SyncPolicy}' is not one of Always, Interval, None.");
        }

        if (options.CommitOnCallingThread && options.SyncPolicy != SyncPolicy.None)
        {
            failures.Add($"{prefix}{nameof(options.CommitOnCallingThread)} needs {nameof(options.SyncPolicy)} None (a log whose appends wait for an fsync commits on its committer thread); it is {options.SyncPolicy}.");
        }

        if (options.SyncInterval <= TimeSpan.Zero || options.SyncInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{prefix}{nameof(options.SyncInterval)} must be greater than zero and at most 10 minutes; it is {options.SyncInterval}.");
        }

        if (options.SegmentSizeBytes < MinSegmentSizeBytes || options.SegmentSizeBytes > int.MaxValue)
        {
            failures.Add($"{prefix}{nameof(options.SegmentSizeBytes)} must be between {MinSegmentSizeBytes} and {int.MaxValue}; it is {options.SegmentSizeBytes}.");
        }

        if (options.SegmentMaxAge is { } age && age <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}{nameof(options.SegmentMaxAge)} must be positive when set; it is {age}.");
        }

        if (options.MaxRecordSizeBytes < 1)
        {
            failures.Add($"{prefix}{nameof(options.MaxRecordSizeBytes)} must be at least 1; it is {options.MaxRecordSizeBytes}.");
        }
        else if (options.MaxRecordSizeBytes > options.SegmentSizeBytes / 2)
        {
            failures.Add($"{prefix}{nameof(options.MaxRecordSizeBytes)} ({options.MaxRecordSizeBytes}) must be at most half of {nameof(options.SegmentSizeBytes)} ({options.SegmentSizeBytes}).");
        }

        if (options.MaxBatchBytes < 4096)
        {
            failures.Add($"{prefix}{nameof(options.MaxBatchBytes)} must be at least 4096; it is {options.MaxBatchBytes}.");
        }

        if (options.MaxBatchDelay < TimeSpan.Zero || options.MaxBatchDelay > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{prefix}{nameof(options.MaxBatchDelay)} must be between 0 and 1 second; it is {options.MaxBatchDelay}.");
        }

        if (!Enum.IsDefined(options.RecoveryMode))
        {
            failures.Add($"{prefix}{nameof(options.RecoveryMode)} '{options.RecoveryMode}' is not one of TolerateTornTail, AbsoluteConsistency, Salvage.");
        }

        if (double.IsNaN(options.CompactionLiveRatio) || options.CompactionLiveRatio < 0 || options.CompactionLiveRatio >= 1)
        {
            failures.Add($"{prefix}{nameof(options.CompactionLiveRatio)} must be in [0, 1); it is {options.CompactionLiveRatio}.");
        }

        if (options.MaxSparseCopySegments < 0)
        {
            failures.Add($"{prefix}{nameof(options.MaxSparseCopySegments)} must be 0 or more; it is {options.MaxSparseCopySegments}.");
        }

        if (options.SnapshotDeltaMinStreams < 0)
        {
            failures.Add($"{prefix}{nameof(options.SnapshotDeltaMinStreams)} must be 0 or more; it is {options.SnapshotDeltaMinStreams}.");
        }

        // The count saturates at MaxChainRecords and never triggers there: the largest useful setting is one below it.
        if (options.ConsolidateAfterRecords != 0 && options.ConsolidateAfterRecords is < 2 or >= Index.StreamEntry.MaxChainRecords)
        {
            failures.Add($"{prefix}{nameof(options.ConsolidateAfterRecords)} must be 0 (off) or between 2 and {Index.StreamEntry.MaxChainRecords - 1}; it is {options.ConsolidateAfterRecords}.");
        }

        if (options.ConsolidationMaxBytes < 4096)
        {
            failures.Add($"{prefix}{nameof(options.ConsolidationMaxBytes)} must be at least 4096; it is {options.ConsolidationMaxBytes}.");
        }

        if (options.RetainSegmentCount < 0)
        {
            failures.Add($"{prefix}{nameof(options.RetainSegmentCount)} must not be negative; it is {options.RetainSegmentCount}.");
        }

        if (options.MaxRecycledSegments is < 0 or > 1024)
        {
            failures.Add($"{prefix}{nameof(options.MaxRecycledSegments)} must be between 0 and 1024; it is {options.MaxRecycledSegments}.");
        }

        if (options.MaxChangeFeedRetainedBytes < 1)
        {
            failures.Add($"{prefix}{nameof(options.MaxChangeFeedRetainedBytes)} must be at least 1; it is {options.MaxChangeFeedRetainedBytes}.");
        }

        if (options.RetainHistoryFor is { } history && (history <= TimeSpan.Zero || !options.RetainCheckpointedEvents))
        {
            failures.Add($"{prefix}{nameof(options.RetainHistoryFor)} must be positive and needs {nameof(options.RetainCheckpointedEvents)} = true; it is {history} (with {nameof(options.RetainCheckpointedEvents)} = {options.RetainCheckpointedEvents}).");
        }

        if (options.RetainLastVersions is { } versions && (versions < 1 || !options.RetainCheckpointedEvents || options.RetainHistoryFor is not null))
        {
            failures.Add($"{prefix}{nameof(options.RetainLastVersions)} must be at least 1 and needs {nameof(options.RetainCheckpointedEvents)} = true without {nameof(options.RetainHistoryFor)}; it is {versions} (with {nameof(options.RetainCheckpointedEvents)} = {options.RetainCheckpointedEvents}, {nameof(options.RetainHistoryFor)} = {options.RetainHistoryFor?.ToString() ?? "null"}).");
        }

        if (options.StreamRetention is not null && !options.RetainCheckpointedEvents)
        {
            failures.Add($"{prefix}{nameof(options.StreamRetention)} needs {nameof(options.RetainCheckpointedEvents)} = true (a log that reclaims checkpointed events keeps nothing a stream's policy could keep).");
        }

        if (options.HistoryTrimAge <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}{nameof(options.HistoryTrimAge)} must be positive; it is {options.HistoryTrimAge}.");
        }

        if (options.EraseCompactionQuietPeriod < TimeSpan.Zero || options.EraseCompactionQuietPeriod > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{prefix}{nameof(options.EraseCompactionQuietPeriod)} must be between 0 and 10 minutes; it is {options.EraseCompactionQuietPeriod}.");
        }

        if (options.EraseCompactionMaxDelay <= TimeSpan.Zero || options.EraseCompactionMaxDelay > TimeSpan.FromHours(1) || options.EraseCompactionMaxDelay < options.EraseCompactionQuietPeriod)
        {
            failures.Add($"{prefix}{nameof(options.EraseCompactionMaxDelay)} must be greater than zero, at most one hour and at least {nameof(options.EraseCompactionQuietPeriod)} ({options.EraseCompactionQuietPeriod}); it is {options.EraseCompactionMaxDelay}.");
        }

        if (options.RetainMaxAge is { } retain && retain <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}{nameof(options.RetainMaxAge)} must be positive when set; it is {retain}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> when <paramref name="options"/> are invalid.</summary>
    public static void ThrowIfInvalid(WriteAheadLogOptions options, string? name = null)
    {
        var result = new WriteAheadLogOptionsValidator().Validate(name, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(name ?? Microsoft.Extensions.Options.Options.DefaultName, typeof(WriteAheadLogOptions), result.Failures);
        }
    }
}
