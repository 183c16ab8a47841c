namespace Actors.Replication.Wal;

/// <summary>
/// Rejected: the replica an append was sent to does not lead (any more, or yet). Nothing was appended; the caller may
/// send the append to <see cref="KnownLeader"/> (when known) or retry after the next election.
/// </summary>
public sealed class NotLeaderException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public NotLeaderException(ReplicaId replica, long epoch, ReplicaId? knownLeader)
        : base($"Replica {replica} does not lead (epoch {epoch}, leader {(knownLeader is { } leader ? leader.ToString() : "unknown")}); nothing was appended.")
    {
        Replica = replica;
        Epoch = epoch;
        KnownLeader = knownLeader;
    }

    /// <summary>The replica that refused.</summary>
    public ReplicaId Replica { get; }

    /// <summary>Its epoch when it refused.</summary>
    public long Epoch { get; }

    /// <summary>The leader it knew of, if any.</summary>
    public ReplicaId? KnownLeader { get; }
}
