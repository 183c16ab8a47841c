namespace Actors.Replication.Messages;

/// <summary>
/// Follower to leader: the request's previous entry is not in the follower's log. The follower reports what it holds
/// at <paramref name="ProbeOffset"/> so the leader can jump back by the leader-epoch rule instead of one entry at a time.
/// </summary>
/// <param name="From">The follower.</param>
/// <param name="Epoch">The leader's epoch (accepted).</param>
/// <param name="ProbeOffset">min(request's previous offset, follower's end offset).</param>
/// <param name="ProbeEpoch">The epoch of the follower's entry at <paramref name="ProbeOffset"/> (0 for offset 0).</param>
public sealed record AppendDiverged(ReplicaId From, long Epoch, long ProbeOffset, long ProbeEpoch)
    : ReplicationMessage(From, Epoch);
