using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

/// <summary>The leader's read lease (<see cref="Replica.ReadLeaseExpiry"/>) and the stamps behind it.</summary>
public sealed class ReplicaReadLeaseTests : ReplicaProtocolTests
{
    private static readonly ReplicaConfiguration Initial = ReplicaConfiguration.Initial(R1, [R1, R2, R3]);
    private static readonly TimeSpan LeaseLength = ReplicaOptions.DefaultLeaderTimeout - ReplicaOptions.DefaultHeartbeatInterval;

    public ReplicaReadLeaseTests() => Clock.Advance(TimeSpan.FromSeconds(1));

    [Fact]
    public void HoldsReadLease_NewLeaderBeforeAnyEcho_False()
    {
        var leader = CreateLeader();

        Assert.Equal(long.MinValue, leader.ReadLeaseExpiry);
        Assert.False(leader.HoldsReadLease());
    }

    [Fact]
    public void SendAppend_Leader_StampsEveryRequestWithItsClock()
    {
        var leader = CreateLeader();
        leader.OnMessage(new AppendAccepted(R2, 1, 0, 0));
        leader.OnMessage(new AppendAccepted(R3, 1, 0, 0));
        Clock.Advance(TimeSpan.FromMilliseconds(70));
        var now = Clock.GetTimestamp();

        leader.Propose(1, new byte[] { 1 });

        Assert.All(Recording.Sent, s => Assert.Equal(now, ((AppendRequest)s.Message).LeaseStamp));
        Assert.Equal(2, Recording.Sent.Count);
    }

    [Fact]
    public void ReadLeaseExpiry_EchoFromEveryInSyncFollower_RunsToTheOldestStampPlusLeaderTimeoutLessAHeartbeat()
    {
        var leader = CreateLeader();
        var older = Clock.GetTimestamp();
        Clock.Advance(TimeSpan.FromMilliseconds(30));
        var newer = Clock.GetTimestamp();

        leader.OnMessage(new AppendAccepted(R2, 1, 0, 0, newer));
        Assert.False(leader.HoldsReadLease());
        leader.OnMessage(new AppendAccepted(R3, 1, 0, 0, older));

        Assert.Equal(older + LeaseLength.Ticks, leader.ReadLeaseExpiry);
        Assert.True(leader.HoldsReadLease());
        Clock.Advance(LeaseLength - TimeSpan.FromMilliseconds(30) - TimeSpan.FromTicks(1));
        Assert.True(leader.HoldsReadLease());
        Clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(leader.HoldsReadLease());
    }

    [Fact]
    public void ReadLeaseExpiry_EchoesOfAnOlderEpochOrStaleStamps_NotCounted()
    {
        var leader = CreateLeader();
        var stamp = Clock.GetTimestamp();

        leader.OnMessage(new AppendAccepted(R2, 0, 0, 0, stamp));
        leader.OnMessage(new AppendAccepted(R3, 0, 0, 0, stamp));
        Assert.Equal(long.MinValue, leader.ReadLeaseExpiry);

        leader.OnMessage(new AppendAccepted(R2, 1, 0, 0, stamp));
        leader.OnMessage(new AppendAccepted(R3, 1, 0, 0, stamp));
        leader.OnMessage(new AppendAccepted(R3, 1, 0, 0, stamp - 100));
        Assert.Equal(stamp + LeaseLength.Ticks, leader.ReadLeaseExpiry);
    }

    [Fact]
    public void ReadLeaseExpiry_FollowerDroppedFromInSyncThroughTheStore_NoLongerWaitedFor()
    {
        var leader = CreateLeader();
        var stamp = Clock.GetTimestamp();
        leader.Propose(7, new byte[] { 7 });
        leader.OnSynced(Recording.Syncs.Last());
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1, stamp));
        Run(leader, ReplicaOptions.DefaultFollowerLagTimeout);
        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal([R1, R2], proposal.InSync.ToArray());

        // Until the store's answer is known R3 may still be in sync (and could be elected): no lease without its echo.
        Assert.Equal(long.MinValue, leader.ReadLeaseExpiry);

        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));
        Assert.Equal(stamp + LeaseLength.Ticks, leader.ReadLeaseExpiry);
    }

    [Fact]
    public void ReadLeaseExpiry_LeaderAloneInSync_Unbounded()
    {
        var leader = Create(R1, enteredEpoch: 0);
        leader.Start();
        leader.OnConfigurationRead(Initial.WithInSync([R1]));

        Assert.Equal(long.MaxValue, leader.ReadLeaseExpiry);
        Assert.True(leader.HoldsReadLease());
    }

    [Fact]
    public void HoldsReadLease_LeaderFenced_FalseAtOnce()
    {
        var leader = CreateLeader();
        var stamp = Clock.GetTimestamp();
        leader.OnMessage(new AppendAccepted(R2, 1, 0, 0, stamp));
        leader.OnMessage(new AppendAccepted(R3, 1, 0, 0, stamp));
        Assert.True(leader.HoldsReadLease());

        leader.OnMessage(new AppendFenced(R3, 2));

        Assert.False(leader.HoldsReadLease());
    }

    [Fact]
    public void OnAppendRequest_Follower_EchoesTheNewestStampOfItsLeaderInItsEpoch()
    {
        var follower = Create(R2, enteredEpoch: 1);
        follower.OnConfigurationRead(Initial);

        follower.OnMessage(new AppendRequest(R1, 1, 0, 0, [], 0, 0, 500));
        follower.OnMessage(new AppendRequest(R1, 1, 0, 0, [], 0, 0, 400));
        Assert.Equal([500L, 500L], Recording.SentTo<AppendAccepted>(R1).Select(a => a.EchoedStamp));

        // A new epoch's leader: its own stamps only.
        follower.OnMessage(new AppendRequest(R3, 2, 0, 0, [], 0, 0, 300));
        Assert.Equal(300L, Recording.SentTo<AppendAccepted>(R3).Single().EchoedStamp);
    }

    [Fact]
    public void OnAppendRequest_FollowerWithItsElectionWritePending_EchoesNoStamp()
    {
        var follower = Create(R2, enteredEpoch: 1);
        follower.OnConfigurationRead(Initial);
        Run(follower, TimeSpan.FromSeconds(10));
        follower.OnConfigurationRead(Initial);
        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal(R2, proposal.Leader);

        // The old leader reappears while the election write may still take effect at any time.
        follower.OnMessage(new AppendRequest(R1, 1, 0, 0, [], 0, 0, 900));
        Assert.Equal(0L, Recording.SentTo<AppendAccepted>(R1).Single().EchoedStamp);

        // The write failed (the store moved on without it): the follower's leader timeout runs from that request again.
        follower.OnConfigurationWritten(expected, new ConfigurationWriteResult(false, Initial with { Version = Initial.Version + 1 }));
        follower.OnMessage(new AppendRequest(R1, 1, 0, 0, [], 0, 0, 950));
        Assert.Equal(950L, Recording.SentTo<AppendAccepted>(R1).Last().EchoedStamp);
    }

    [Fact]
    public void HoldsReadLease_Follower_False()
    {
        var follower = Create(R2, enteredEpoch: 1);
        follower.OnConfigurationRead(Initial);
        follower.OnMessage(new AppendRequest(R1, 1, 0, 0, [], 0, 0, Clock.GetTimestamp()));

        Assert.Equal(long.MinValue, follower.ReadLeaseExpiry);
        Assert.False(follower.HoldsReadLease());
    }

    /// <summary>
    /// Ticks <paramref name="replica"/> every heartbeat interval for <paramref name="duration"/>; when it leads, R2, live,
    /// answers each heartbeat that it holds entry 1 durably, echoing no newer lease stamp (a follower the leader stops hearing
    /// is out of sync even when it owes nothing).
    /// </summary>
    private void Run(Replica replica, TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += ReplicaOptions.DefaultHeartbeatInterval)
        {
            Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
            replica.Tick();
            if (replica.Role == ReplicaRole.Leader && replica.Id != R2)
            {
                replica.OnMessage(new AppendAccepted(R2, 1, 1, 1));
            }
        }
    }

    private Replica CreateLeader()
    {
        var leader = Create(R1, enteredEpoch: 0);
        leader.Start();
        leader.OnConfigurationRead(Initial);
        Assert.Equal(ReplicaRole.Leader, leader.Role);
        Recording.Sent.Clear();
        return leader;
    }

    private Replica Create(ReplicaId id, long enteredEpoch) =>
        new(id, Array.Empty<LogEntry>(), enteredEpoch, Recording, Clock, new ReplicaOptions());
}
