using Actors.Replication.Options;

namespace Actors.Replication.Protocol;

/// <summary>
/// A replica's side of the read lease (the reasoning is in Replica.ReadLease.cs and docs/replication.md, "Reads after
/// failover"): as follower, the newest lease stamp received from its leader in its epoch, which it echoes; as leader,
/// the stamps it puts on requests and the lease the echoed stamps buy.
/// </summary>
/// <remarks>
/// Contract: the received stamp only grows within an epoch and is forgotten (0) when the replica enters a newer epoch
/// as follower; nothing is echoed (0) while the replica's own store write is pending. Stamps and expiries are readings
/// of the real clock (<see cref="TimeProvider.GetTimestamp"/>), never of the running clock. The followers' echoed stamps
/// belong to their <see cref="FollowerProgress"/>, which the leader owns; this class only reads and raises them.
/// Not thread-safe: the replica's driver thread uses it.
/// </remarks>
/// <param name="time">The replica's clock.</param>
/// <param name="options">The leader timeout and heartbeat interval the lease length comes from.</param>
/// <param name="faults">Deliberate bugs for tests (a lease that is too long).</param>
internal sealed class ReadLease(TimeProvider time, ReplicaOptions options, ReplicaFaults faults)
{
    /// <summary>The newest request stamp received from the leader of the replica's epoch (0: none).</summary>
    private long _leaderStamp;

    /// <summary>The stamp a leader puts on a request it sends now.</summary>
    public long NewStamp() => time.GetTimestamp();

    /// <summary>A follower took a request of its leader in its epoch: remember the newest stamp.</summary>
    public void ReceivedStamp(long stamp) => _leaderStamp = Math.Max(_leaderStamp, stamp);

    /// <summary>A newer epoch was entered as follower: the stamps of the previous leader no longer count.</summary>
    public void ForgetLeaderStamp() => _leaderStamp = 0;

    /// <summary>
    /// The stamp a follower echoes: none while its own store write is pending (an election: it may take effect at any
    /// time, so the follower no longer promises to stay out of the lead until stamp + leader timeout).
    /// </summary>
    public long StampToEcho(bool storeWritePending) => storeWritePending ? 0 : _leaderStamp;

    /// <summary>
    /// The leader's lease expiry over <paramref name="waitFor"/>: the earliest echoed stamp plus the lease length;
    /// <see cref="long.MinValue"/> when one of them has no progress in <paramref name="followers"/> or has echoed no stamp
    /// yet; <see cref="long.MaxValue"/> when there is none to wait for.
    /// </summary>
    public long Expiry(IEnumerable<ReplicaId> waitFor, IReadOnlyDictionary<ReplicaId, FollowerProgress> followers)
    {
        var expiry = long.MaxValue;
        var length = Length();
        foreach (var replica in waitFor)
        {
            if (!followers.TryGetValue(replica, out var progress) || progress.EchoedStamp <= 0)
            {
                return long.MinValue;
            }

            expiry = Math.Min(expiry, progress.EchoedStamp + length);
        }

        return expiry;
    }

    /// <summary>The leader took an echo from <paramref name="progress"/>'s follower in its epoch.</summary>
    public static void ReceivedEcho(FollowerProgress progress, long stamp) =>
        progress.EchoedStamp = Math.Max(progress.EchoedStamp, stamp);

    /// <summary>The lease a stamp buys, in timestamp units (a deliberately broken variant makes it too long).</summary>
    private long Length()
    {
        var length = faults.ReadLeaseTooLong
            ? options.LeaderTimeout * 4
            : options.LeaderTimeout - options.HeartbeatInterval;
        return (long)(length.Ticks * (double)time.TimestampFrequency / TimeSpan.TicksPerSecond);
    }
}
