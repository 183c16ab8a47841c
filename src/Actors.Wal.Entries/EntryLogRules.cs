using Actors.Wal.IO;

namespace Actors.Wal.Entries;

/// <summary>
/// The checks both entry-log layouts (<see cref="EntryLog"/> and <see cref="Journal.JournaledEntryLog"/>) make before they
/// change anything, so that <see cref="IEntryLog"/>'s contract is stated and enforced in one place: each throws before
/// anything is written.
/// </summary>
internal static class EntryLogRules
{
    /// <summary>Takes the lock file <paramref name="lockFileName"/> of <paramref name="directory"/> (one instance per directory).</summary>
    /// <exception cref="LogDirectoryLockedException">Another instance or process holds it.</exception>
    public static IDisposable LockDirectory(IFileSystem fileSystem, string directory, string lockFileName)
    {
        var lockPath = Path.Combine(directory, lockFileName);
        try
        {
            return fileSystem.LockFile(lockPath);
        }
        catch (IOException exception)
        {
            throw new LogDirectoryLockedException(directory, lockPath, exception);
        }
    }

    /// <summary>Refuses <paramref name="entries"/> unless they continue <paramref name="log"/> (LSNs from its end + 1, epochs not decreasing) within <paramref name="maxEntryBytes"/> each.</summary>
    /// <exception cref="EntrySequenceException">An LSN or epoch is out of sequence.</exception>
    /// <exception cref="RecordTooLargeException">A payload exceeds <paramref name="maxEntryBytes"/> (the setting <paramref name="maxEntryBytesSetting"/>).</exception>
    public static void ValidateSequence(IEntryLog log, int maxEntryBytes, string maxEntryBytesSetting, IReadOnlyList<LoggedEntry> entries)
    {
        var expectedLsn = log.EndLsn + 1;
        var lastEpoch = log.LastEpoch;
        foreach (var entry in entries)
        {
            if (entry.Lsn != expectedLsn)
            {
                throw new EntrySequenceException(log.Directory, $"entry LSN {entry.Lsn} where {expectedLsn} comes next");
            }

            if (entry.Epoch < lastEpoch)
            {
                throw new EntrySequenceException(log.Directory, $"entry {entry.Lsn} has epoch {entry.Epoch}, below the previous entry's epoch {lastEpoch}");
            }

            if (entry.Payload.Length > maxEntryBytes)
            {
                throw new RecordTooLargeException(log.Directory, $"entry {entry.Lsn}", entry.Payload.Length, maxEntryBytes, maxEntryBytesSetting);
            }

            expectedLsn++;
            lastEpoch = entry.Epoch;
        }
    }

    /// <summary>Refuses a truncation after <paramref name="lsn"/> outside 0..end or below the log's checkpoint, or of a log no longer usable.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsn"/> is negative or beyond the log's end.</exception>
    /// <exception cref="EntriesCheckpointedException"><paramref name="lsn"/> is below the checkpoint's LSN.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    /// <exception cref="LogFailedException">The log failed before.</exception>
    public static void CheckTruncation(IEntryLog log, long lsn, LogUsability usability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lsn);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lsn, log.EndLsn);
        if (lsn < log.StartLsn)
        {
            throw new EntriesCheckpointedException(log.Directory, "truncate", lsn, log.StartLsn);
        }

        usability.ThrowIfUnusable();
    }

    /// <summary>Refuses to give the epoch of entry <paramref name="lsn"/> outside 1..end or below the log's checkpoint (whose epoch it has at its LSN).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsn"/> is below 1 or beyond the log's end.</exception>
    /// <exception cref="EntriesCheckpointedException"><paramref name="lsn"/> is below the checkpoint's LSN.</exception>
    public static void CheckEpochAt(IEntryLog log, long lsn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lsn, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lsn, log.EndLsn);
        if (lsn < log.StartLsn)
        {
            throw new EntriesCheckpointedException(log.Directory, "read the epoch", lsn, log.StartLsn);
        }
    }

    /// <summary>Refuses to read from <paramref name="fromLsn"/> below 1 or not above the log's checkpoint, a negative <paramref name="maxCount"/>, or a disposed log (a failed one still reads).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromLsn"/> is below 1 or <paramref name="maxCount"/> negative.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    /// <exception cref="EntriesCheckpointedException"><paramref name="fromLsn"/> is not above the checkpoint's LSN.</exception>
    public static void CheckRead(IEntryLog log, long fromLsn, int maxCount, LogUsability usability)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromLsn, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        usability.ThrowIfDisposed();
        if (fromLsn <= log.StartLsn)
        {
            throw new EntriesCheckpointedException(log.Directory, "read", fromLsn, log.StartLsn);
        }
    }

    /// <summary>
    /// Checks <paramref name="checkpoint"/> against <paramref name="log"/> (an LSN between its start and its durable end,
    /// the log's epoch there) and copies it into a pending write of the log's checkpoint file.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The LSN is not in the log's start (at least 1)..durable LSN.</exception>
    /// <exception cref="ArgumentException">The epoch is not the log's epoch at the LSN.</exception>
    public static PendingEntryLogCheckpoint BeginCheckpoint(IFileSystem fileSystem, IEntryLog log, EntryLogCheckpoint checkpoint, long installs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpoint.Lsn, Math.Max(1, log.StartLsn), nameof(checkpoint));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(checkpoint.Lsn, log.DurableLsn, nameof(checkpoint));
        if (log.EpochAt(checkpoint.Lsn) is var epoch && epoch != checkpoint.Epoch)
        {
            throw new ArgumentException(
                $"Entry log '{log.Directory}': the checkpoint at LSN {checkpoint.Lsn} names epoch {checkpoint.Epoch}, the log holds epoch {epoch} there.",
                nameof(checkpoint));
        }

        var copy = checkpoint with { State = checkpoint.State.ToArray() };
        return new PendingEntryLogCheckpoint(fileSystem, log.Directory, copy, EntryLogFormat.FormatCheckpointFile(copy), installs);
    }

    /// <summary>Refuses to complete a checkpoint whose write has not returned or that belongs to another log's directory.</summary>
    /// <exception cref="InvalidOperationException">Not written (yet), or not this log's.</exception>
    public static void CheckWritten(PendingEntryLogCheckpoint pending, string directory)
    {
        if (!pending.IsWritten || !string.Equals(pending.Directory, directory, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Entry log '{directory}': the checkpoint at LSN {pending.Checkpoint.Lsn} was not written to it (yet).");
        }
    }
}
