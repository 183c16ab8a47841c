namespace Actors.Replication.Wal;

/// <summary>
/// A replica's applier could not rebuild its materialized log from its host's checkpoint (the state did not unpack, its
/// files could not be written, or the log did not open over them). The applier does not give up: it tries again after
/// <see cref="RetryIn"/> (doubling up to <see cref="EventLog.CommittedEntryApplier.MaxRestoreRetryDelay"/>), reading
/// the host's checkpoint anew each time (a leader may have sent a newer one); meanwhile it applies nothing and the
/// partition's reads and writes on this replica wait. The latest failure is
/// <see cref="EventLog.CommittedEntryApplier.RestoreFailure"/> until a restore succeeds.
/// </summary>
public sealed class CheckpointRestoreFailedException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointRestoreFailedException(ReplicaId replica, long checkpointLsn, int attempt, TimeSpan retryIn, Exception innerException)
        : base($"Replica {replica} could not rebuild its materialized log from the checkpoint at LSN {checkpointLsn} (attempt {attempt}; "
            + $"next attempt in {retryIn.TotalMilliseconds:N0} ms): {innerException.Message}", innerException)
    {
        Replica = replica;
        CheckpointLsn = checkpointLsn;
        Attempt = attempt;
        RetryIn = retryIn;
    }

    /// <summary>The replica.</summary>
    public ReplicaId Replica { get; }

    /// <summary>The LSN of the checkpoint that could not be restored.</summary>
    public long CheckpointLsn { get; }

    /// <summary>How many restores failed in a row, this one included.</summary>
    public int Attempt { get; }

    /// <summary>The back-off before the next attempt.</summary>
    public TimeSpan RetryIn { get; }
}
