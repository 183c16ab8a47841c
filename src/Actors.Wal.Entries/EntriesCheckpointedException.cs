namespace Actors.Wal.Entries;

/// <summary>
/// An <see cref="EntryLog"/> was asked for (or to truncate into) entries that a durable checkpoint replaced: entries up to
/// <see cref="CheckpointLsn"/> are no longer held. Nothing was read or changed; the caller should start from the
/// checkpoint (<see cref="EntryLog.Checkpoint"/>).
/// </summary>
public sealed class EntriesCheckpointedException : WalException
{
    /// <summary>Creates the exception.</summary>
    public EntriesCheckpointedException(string directory, string operation, long requestedLsn, long checkpointLsn)
        : base($"Entry log '{directory}' cannot {operation} at LSN {requestedLsn}: entries up to LSN {checkpointLsn} are replaced by a checkpoint.")
    {
        Directory = directory;
        RequestedLsn = requestedLsn;
        CheckpointLsn = checkpointLsn;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>The LSN asked for.</summary>
    public long RequestedLsn { get; }

    /// <summary>The checkpoint's LSN: the log holds entries from the next one on.</summary>
    public long CheckpointLsn { get; }
}
