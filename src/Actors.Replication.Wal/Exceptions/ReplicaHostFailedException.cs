namespace Actors.Replication.Wal;

/// <summary>
/// A hosted replica stopped on an error it cannot continue from: its log failed (an I/O error: fsync is never retried)
/// or the protocol observed an impossible state. Reopen the replica from its disk to continue.
/// </summary>
public sealed class ReplicaHostFailedException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public ReplicaHostFailedException(ReplicaId replica, Exception innerException)
        : base($"Replica {replica} stopped: {innerException.Message}", innerException)
    {
        Replica = replica;
    }

    /// <summary>The replica.</summary>
    public ReplicaId Replica { get; }
}
