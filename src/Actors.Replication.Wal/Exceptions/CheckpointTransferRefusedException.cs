namespace Actors.Replication.Wal;

/// <summary>
/// A checkpoint sent by the leader in chunks was reassembled but its state does not match the checksum the leader
/// computed (or its chunks do not fit together). Nothing was installed: the follower's log is unchanged and the leader
/// sends the checkpoint again on its next heartbeat. Reported in the follower's log (a warning) and counted
/// (<see cref="ReplicaHostCounters.CheckpointTransfersRefused"/>); never thrown to callers.
/// </summary>
public sealed class CheckpointTransferRefusedException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointTransferRefusedException(ReplicaId replica, ReplicaId leader, long checkpointOffset, long checkpointEpoch, string reason)
        : base($"Replica {replica} refused the checkpoint at LSN {checkpointOffset} (epoch {checkpointEpoch}) sent by {leader}: {reason}. Nothing was installed.")
    {
        Replica = replica;
        Leader = leader;
        CheckpointOffset = checkpointOffset;
        CheckpointEpoch = checkpointEpoch;
        Reason = reason;
    }

    /// <summary>The receiving replica.</summary>
    public ReplicaId Replica { get; }

    /// <summary>The sender.</summary>
    public ReplicaId Leader { get; }

    /// <summary>The checkpoint's LSN.</summary>
    public long CheckpointOffset { get; }

    /// <summary>The checkpoint's epoch.</summary>
    public long CheckpointEpoch { get; }

    /// <summary>What did not match.</summary>
    public string Reason { get; }
}
