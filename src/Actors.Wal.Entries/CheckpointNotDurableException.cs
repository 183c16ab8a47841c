namespace Actors.Wal.Entries;

/// <summary>
/// <see cref="EntryLog.DeletePrefix"/> was asked to delete entries no durable checkpoint covers: deleting them would
/// lose them. Nothing was deleted.
/// </summary>
public sealed class CheckpointNotDurableException : WalException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointNotDurableException(string directory, long requestedLsn, long checkpointLsn)
        : base($"Entry log '{directory}' refused to delete entries up to LSN {requestedLsn}: the durable checkpoint covers only up to LSN {checkpointLsn}. Nothing was deleted.")
    {
        Directory = directory;
        RequestedLsn = requestedLsn;
        CheckpointLsn = checkpointLsn;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>The LSN up to which deletion was asked.</summary>
    public long RequestedLsn { get; }

    /// <summary>The durable checkpoint's LSN.</summary>
    public long CheckpointLsn { get; }
}
