using Actors.Replication.Messages;

namespace Actors.Replication.Protocol;

/// <summary>
/// The leader's read lease: how long this leader may serve reads from its state without another replica having
/// acknowledged anything in a later epoch (docs/replication.md, "Reads after failover").
/// </summary>
/// <remarks>
/// <para>Every decision stays in the store; the lease only says when no decision against this leader can have been
/// taken yet. The leader stamps each <see cref="AppendRequest"/> with its clock; a follower echoes in
/// <see cref="AppendAccepted"/> the newest stamp it received from its leader in its epoch, except while its own write
/// to the store (an election: the only write a follower makes) is pending. The lease runs to the minimum, over every
/// replica the leader must wait for (the in-sync set, plus a proposed one while unresolved), of echoed stamp +
/// <see cref="Options.ReplicaOptions.LeaderTimeout"/> - <see cref="Options.ReplicaOptions.HeartbeatInterval"/>;
/// unbounded when the leader is the only one (no other replica may lead).</para>
/// <para>Why it holds: a later epoch needs a conditional store write conditioned on a version of this epoch, and the
/// only such writes are this leader's own and an election by an in-sync follower, made only after
/// <see cref="Options.ReplicaOptions.LeaderTimeout"/> (plus a stagger) of that follower's running time without hearing
/// from its leader. A follower that echoed stamp s received it at real time r &gt;= s, and its running time never runs
/// faster than real time, so its election write cannot be sent before s + LeaderTimeout; a write it had sent before
/// receiving s is pending, and then it echoes nothing. A crashed and restarted follower starts its leader timeout
/// afresh. The new leader acknowledges only after its election, so nothing is acknowledged in a later epoch before the
/// lease ends. The leader's side runs on its real clock (<see cref="TimeProvider.GetTimestamp"/>, not the running
/// clock): a stall of the leader eats its lease.</para>
/// </remarks>
public sealed partial class Replica
{
    /// <summary>
    /// The leader's clock reading (<see cref="TimeProvider.GetTimestamp"/> of the replica's time provider) before which
    /// this replica may serve reads as leader of <see cref="Epoch"/>; <see cref="long.MinValue"/> when it may not (not
    /// leader, or a replica it must wait for has not echoed a stamp of this epoch yet); <see cref="long.MaxValue"/> when
    /// no other replica may lead.
    /// </summary>
    /// <remarks>
    /// None once a hand-over wrote the configuration naming its target (until the write is known to have failed): that
    /// write may take effect at any moment, its reply may never arrive, and the target leads as soon as it reads it, without
    /// waiting out any follower's leader timeout.
    /// </remarks>
    public long ReadLeaseExpiry =>
        Role != ReplicaRole.Leader || _configuration.View is null || (_handOver is { Written: true } && !_faults.ReadLeaseTooLong)
            ? long.MinValue
            : _readLease.Expiry(ReplicasToWaitFor(), _leaderTerm.Followers);

    /// <summary>Whether this replica may serve a read now: it leads and its read lease has not expired.</summary>
    public bool HoldsReadLease() => _time.GetTimestamp() < ReadLeaseExpiry;

    /// <summary>The stamp a leader puts on a request it sends now.</summary>
    private long NewLeaseStamp() => _readLease.NewStamp();

    /// <summary>A follower took a request of its leader in its epoch: remember the newest stamp.</summary>
    private void ReceivedLeaseStamp(long stamp) => _readLease.ReceivedStamp(stamp);

    /// <summary>The stamp a follower echoes: none while its own store write (an election) is pending.</summary>
    private long StampToEcho() => _readLease.StampToEcho(storeWritePending: _configuration.PendingWrite is not null);

    /// <summary>The leader took an echo from <paramref name="progress"/>'s follower in its epoch.</summary>
    private static void ReceivedEcho(FollowerProgress progress, long stamp) => ReadLease.ReceivedEcho(progress, stamp);
}
