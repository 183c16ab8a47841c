using Actors.Replication.Configuration;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

/// <summary>
/// The paths that made a fault-free cluster resend entries and answer with divergences (the run logs before issue 64, in git history), each driven message by message between a real leader and a real follower,
/// counting what the leader carries to the follower.
/// </summary>
public sealed class ReplicaResendTests : ReplicaProtocolTests
{
    private readonly RecordingEnvironment _leaderSide = new();
    private readonly RecordingEnvironment _followerSide = new();
    private int _toFollowerDelivered;
    private int _toLeaderDelivered;
    private int _followerSyncsCompleted;

    [Fact]
    public void OnAppendRequest_RequestArrivesAheadOfItsPredecessor_NoDivergenceAndEachEntryCarriedOnce()
    {
        var (leader, follower) = Started();
        leader.Propose(1, new byte[] { 1 });
        leader.Propose(2, new byte[] { 2 });
        var requests = NewRequestsToFollower();
        Assert.Equal([(0L, 1), (1L, 1)], requests.Select(r => (r.PrevOffset, r.Entries.Count)));

        // The transport delivers the second request first (the silo transport serves one connection's requests concurrently).
        follower.OnMessage(requests[1]);
        follower.OnMessage(requests[0]);
        CompleteFollowerSyncs(follower);
        DeliverToLeader(leader);

        Assert.Empty(_followerSide.SentTo<AppendDiverged>(R1));
        Assert.Equal(2, follower.Log.EndOffset);
        Assert.Equal(2, _followerSide.SentTo<AppendAccepted>(R1).Max(a => a.DurableOffset));
        Assert.Equal(2, EntriesCarriedTo(R2));
    }

    [Fact]
    public void LeaderTick_FollowerSyncSlowerThanTheHeartbeat_EntryInFlightNotResent()
    {
        var (leader, follower) = Started();
        leader.Propose(1, new byte[] { 1 });
        DeliverToFollower(follower);

        // The follower holds the entry but its sync takes three heartbeat intervals; it answers a request at the leader's
        // end only after the sync.
        for (var beat = 0; beat < 3; beat++)
        {
            Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
            leader.Tick();
            DeliverToFollower(follower);
            DeliverToLeader(leader);
        }

        CompleteFollowerSyncs(follower);
        DeliverToLeader(leader);

        Assert.Equal(1, EntriesCarriedTo(R2));
        Assert.Equal(1, _followerSide.SentTo<AppendAccepted>(R1).Max(a => a.DurableOffset));
    }

    [Fact]
    public void LeaderTick_RequestLost_ResentAtTheSecondHeartbeatWithoutProgress()
    {
        var (leader, follower) = Started();
        leader.Propose(1, new byte[] { 1 });
        NewRequestsToFollower(); // lost

        Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
        leader.Tick();
        var first = NewRequestsToFollower();
        Assert.All(first, r => Assert.Empty(r.Entries));
        first.ForEach(follower.OnMessage);
        DeliverToLeader(leader);

        Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
        leader.Tick();
        var resend = Assert.Single(NewRequestsToFollower());
        Assert.Equal((0L, 1), (resend.PrevOffset, resend.Entries.Count));
    }

    /// <summary>A leader R1 of epoch 1 (R2 and R3 in sync) and a follower R2 that took its first request and answered.</summary>
    private (Replica Leader, Replica Follower) Started()
    {
        var leader = new Replica(R1, [], 0, _leaderSide, Clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]));
        var follower = new Replica(R2, [], 0, _followerSide, Clock, new ReplicaOptions());
        DeliverToFollower(follower);
        DeliverToLeader(leader);
        Assert.Equal(R1, follower.Leader);
        return (leader, follower);
    }

    private List<AppendRequest> NewRequestsToFollower()
    {
        var sent = _leaderSide.Sent.Skip(_toFollowerDelivered).ToList();
        _toFollowerDelivered += sent.Count;
        return sent.Where(s => s.To == R2).Select(s => s.Message).OfType<AppendRequest>().ToList();
    }

    private void DeliverToFollower(Replica follower) => NewRequestsToFollower().ForEach(follower.OnMessage);

    private void DeliverToLeader(Replica leader)
    {
        var sent = _followerSide.Sent.Skip(_toLeaderDelivered).ToList();
        _toLeaderDelivered += sent.Count;
        sent.Where(s => s.To == R1).ToList().ForEach(s => leader.OnMessage(s.Message));
    }

    private void CompleteFollowerSyncs(Replica follower)
    {
        while (_followerSyncsCompleted < _followerSide.Syncs.Count)
        {
            follower.OnSynced(_followerSide.Syncs[_followerSyncsCompleted++]);
        }
    }

    private int EntriesCarriedTo(ReplicaId follower) => _leaderSide.SentTo<AppendRequest>(follower).Sum(r => r.Entries.Count);
}
