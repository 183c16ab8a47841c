using System.Collections.Immutable;
using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

public sealed class ReplicaTests : ReplicaProtocolTests
{
    private static readonly ReplicaConfiguration Initial = ReplicaConfiguration.Initial(R1, [R1, R2, R3]);

    [Fact]
    public void OnAppendRequest_OlderEpoch_RefusedWithFollowersEpoch()
    {
        var follower = Create(R2, [], enteredEpoch: 3);

        follower.OnMessage(new AppendRequest(R1, 2, 0, 0, [Entry(2)], 1, 0));

        var fenced = Assert.Single(Recording.SentTo<AppendFenced>(R1));
        Assert.Equal(3, fenced.Epoch);
        Assert.Equal(0, follower.Log.EndOffset);
        Assert.Empty(Recording.Writes);
    }

    [Fact]
    public void OnAppendRequest_DivergentTail_ReportsProbeThenTruncatesToCommonPrefix()
    {
        // Follower holds [1,1,2,2]; the leader of epoch 3 holds [1,1,3].
        var follower = Create(R2, [Entry(1), Entry(1), Entry(2), Entry(2)], enteredEpoch: 2);

        follower.OnMessage(new AppendRequest(R1, 3, 3, 3, [], 3, 0));
        var diverged = Assert.Single(Recording.SentTo<AppendDiverged>(R1));
        Assert.Equal((3L, 2L), (diverged.ProbeOffset, diverged.ProbeEpoch));
        Assert.Equal([3L], Recording.PersistedEpochs);

        follower.OnMessage(new AppendRequest(R1, 3, 2, 1, [Entry(3)], 3, 0));

        Assert.Equal([2L], Recording.Truncations);
        Assert.Equal([(3L, 1)], Recording.Writes);
        Assert.Equal([1L, 1L, 3L], Enumerable.Range(1, (int)follower.Log.EndOffset).Select(o => follower.Log.EpochAt(o)));
        Assert.Empty(Recording.SentTo<AppendAccepted>(R1));
        follower.OnSynced(Recording.Syncs[^1]);
        var accepted = Assert.Single(Recording.SentTo<AppendAccepted>(R1));
        Assert.Equal((3L, 3L), (accepted.MatchedOffset, accepted.DurableOffset));
    }

    [Fact]
    public void OnAppendRequest_NewEntriesAtTheLeadersEnd_AnswersOnceAfterTheSyncNotOnReceipt()
    {
        var follower = Create(R2, [], enteredEpoch: 0);

        follower.OnMessage(new AppendRequest(R1, 1, 0, 0, [Entry(1), Entry(1)], 2, 0));
        Assert.Empty(Recording.SentTo<AppendAccepted>(R1));

        // A resend while the sync is under way: still no answer (the sync's answer covers it).
        follower.OnMessage(new AppendRequest(R1, 1, 0, 0, [Entry(1), Entry(1)], 2, 0));
        Assert.Empty(Recording.SentTo<AppendAccepted>(R1));

        follower.OnSynced(Assert.Single(Recording.Syncs));
        var accepted = Assert.Single(Recording.SentTo<AppendAccepted>(R1));
        Assert.Equal((2L, 2L), (accepted.MatchedOffset, accepted.DurableOffset));

        // Nothing left to sync: a heartbeat is answered at once.
        follower.OnMessage(new AppendRequest(R1, 1, 2, 1, [], 2, 2));
        Assert.Equal(2, Recording.SentTo<AppendAccepted>(R1).Count());
        Assert.Single(Recording.Syncs);

        // Catching up (the leader holds more than this request carries): answered at once, so the leader sends the rest.
        follower.OnMessage(new AppendRequest(R1, 1, 2, 1, [Entry(1)], 5, 2));
        var atOnce = Recording.SentTo<AppendAccepted>(R1).Last();
        Assert.Equal((3L, 2L), (atOnce.MatchedOffset, atOnce.DurableOffset));
    }

    [Fact]
    public void OnAppendRequest_OlderEpochTailBeyondLeadersEnd_Dropped()
    {
        var follower = Create(R2, [Entry(1), Entry(1), Entry(1)], enteredEpoch: 1);

        follower.OnMessage(new AppendRequest(R1, 2, 1, 1, [], 1, 0));

        Assert.Equal([1L], Recording.Truncations);
        Assert.Equal(1, follower.Log.EndOffset);
    }

    [Fact]
    public void Propose_Leader_AcknowledgesOnlyWhenDurableOnLeaderAndEveryInSyncFollower()
    {
        var leader = CreateLeader();
        leader.Propose(7, new byte[] { 7 });
        var sync = Assert.Single(Recording.Syncs);

        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1));
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 0));
        Assert.Empty(Recording.Acknowledged);

        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));
        Assert.Empty(Recording.Acknowledged);

        leader.OnSynced(sync);
        Assert.Equal([(7L, 1L, 1L)], Recording.Acknowledged);
    }

    [Fact]
    public void Tick_LaggingFollower_RemovedThroughStoreBeforeAcknowledgingWithoutIt()
    {
        var leader = LeaderWithEntryDurableExceptOnR3();

        Run(leader, ReplicaOptions.DefaultFollowerLagTimeout);
        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal(1, expected);
        Assert.Equal([R1, R2], proposal.InSync.ToArray());
        Assert.Empty(Recording.Acknowledged);

        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));
        Assert.Equal([(7L, 1L, 1L)], Recording.Acknowledged);
    }

    [Fact]
    public void Tick_IdleLeaderHearingEveryFollower_KeepsThemInSync()
    {
        var leader = CreateLeader();

        RunAnswering(leader, 10 * ReplicaOptions.DefaultFollowerLagTimeout, durableOffset: 0, R2, R3);

        Assert.Empty(Recording.ConfigurationWrites);
    }

    [Fact]
    public void Tick_FollowerSilentWhileOwingNoEntry_RemovedThroughStore()
    {
        // An idle partition (nothing appended): R3 stops answering the heartbeats (a cut link, a dead silo). It owes no
        // entry, yet the leader cannot reach it: it leaves the in-sync set now, not when the next append has waited for it.
        var leader = CreateLeader();
        RunAnswering(leader, ReplicaOptions.DefaultFollowerLagTimeout - ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 0, R2);
        Assert.Empty(Recording.ConfigurationWrites);

        RunAnswering(leader, 2 * ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 0, R2);

        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal(1, expected);
        Assert.Equal([R1, R2], proposal.InSync.ToArray());
    }

    [Fact]
    public void Tick_BothFollowersSilent_DefaultFloor_KeepsOneFollowerInTheSet()
    {
        // The leader is cut off from both followers (not from the store): with the default floor (a majority: 2 of 3) it
        // removes one and keeps the other, which may then take the lead; it never shrinks the set to itself.
        var leader = CreateLeader();
        RunAnswering(leader, ReplicaOptions.DefaultFollowerLagTimeout + ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 0);
        var (expected, removal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal(2, removal.InSync.Length);
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, removal));

        RunAnswering(leader, 10 * ReplicaOptions.DefaultFollowerLagTimeout, durableOffset: 0);

        Assert.Single(Recording.ConfigurationWrites);
    }

    [Fact]
    public void Propose_InSyncSetAtItsFloorWithASilentFollower_WaitsForItNeverAcknowledgesAlone()
    {
        var leader = CreateLeader();
        RunAnswering(leader, ReplicaOptions.DefaultFollowerLagTimeout + ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 0, R2);
        var (expected, removal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal([R1, R2], removal.InSync.ToArray());
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, removal));

        // R2 stops answering too, while request 7 waits for it: the set may not shrink below two, so request 7 waits
        // (nothing acknowledged by the leader alone, nothing abandoned while it leads this epoch).
        leader.Propose(7, new byte[] { 7 });
        leader.OnSynced(Recording.Syncs[^1]);
        RunAnswering(leader, 10 * ReplicaOptions.DefaultFollowerLagTimeout, durableOffset: 0);
        Assert.Empty(Recording.Acknowledged);
        Assert.Empty(Recording.Abandoned);
        Assert.Single(Recording.ConfigurationWrites);
        Assert.False(leader.HoldsReadLease());

        // R2 answers again with the entry: it is acknowledged.
        RunAnswering(leader, ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 1, R2);
        Assert.Equal([(7L, 1L, 1L)], Recording.Acknowledged);
    }

    [Fact]
    public void Tick_BothFollowersSilent_MinInSyncOne_ShrinksTheSetToTheLeader()
    {
        var leader = CreateLeader(minInSyncReplicas: 1);
        RunAnswering(leader, ReplicaOptions.DefaultFollowerLagTimeout + ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 0);
        var (expected, removal) = Assert.Single(Recording.ConfigurationWrites);
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, removal));

        RunAnswering(leader, ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 0);

        Assert.Equal(2, Recording.ConfigurationWrites.Count);
        Assert.Equal([R1], Recording.ConfigurationWrites[1].Proposal.InSync.ToArray());
    }

    [Fact]
    public void Tick_RemovedFollowerStillSilent_NotAddedBackUntilItAnswers()
    {
        var leader = CreateLeader();
        RunAnswering(leader, ReplicaOptions.DefaultFollowerLagTimeout + ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 0, R2);
        var (expected, removal) = Assert.Single(Recording.ConfigurationWrites);
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, removal));

        // Caught up (it owes nothing) but unheard: adding it back would only remove it again.
        RunAnswering(leader, 5 * ReplicaOptions.DefaultFollowerLagTimeout, durableOffset: 0, R2);
        Assert.Single(Recording.ConfigurationWrites);

        RunAnswering(leader, ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 0, R2, R3);
        RunAnswering(leader, ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 0, R2, R3);
        Assert.Equal(2, Recording.ConfigurationWrites.Count);
        Assert.Equal([R1, R2, R3], Recording.ConfigurationWrites[1].Proposal.InSync.ToArray());
    }

    [Fact]
    public void Tick_RemovalRejectedByStore_LeaderStepsDownWithoutAcknowledging()
    {
        var leader = LeaderWithEntryDurableExceptOnR3();
        Run(leader, ReplicaOptions.DefaultFollowerLagTimeout);
        var (expected, _) = Assert.Single(Recording.ConfigurationWrites);

        // R3 was made leader of epoch 2 first (it is in the in-sync set): the leader's removal fails.
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(false, Initial.WithNewLeader(R3)));

        Assert.Equal(ReplicaRole.Follower, leader.Role);
        Assert.Empty(Recording.Acknowledged);
        Assert.Equal([(7L, true)], Recording.Abandoned);
    }

    [Fact]
    public void OnAppendFenced_PausedLeaderWakesUp_StepsDownAndAcknowledgesNothing()
    {
        var leader = LeaderWithEntryDurableExceptOnR3();

        leader.OnMessage(new AppendFenced(R3, 2));
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));

        Assert.Equal(ReplicaRole.Follower, leader.Role);
        Assert.Empty(Recording.Acknowledged);
        Assert.Equal([(7L, true)], Recording.Abandoned);
    }

    [Fact]
    public void OnConfigurationRead_NamedLeaderOfEpochAlreadyEntered_AsksForNextEpochInsteadOfResuming()
    {
        var restarted = Create(R1, [Entry(1)], enteredEpoch: 1);
        restarted.Start();

        restarted.OnConfigurationRead(Initial);

        Assert.Equal(ReplicaRole.Follower, restarted.Role);
        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal(1, expected);
        Assert.Equal((2L, R1), (proposal.Epoch, proposal.Leader));
    }

    [Fact]
    public void Tick_FollowerOutsideInSyncSet_NeverAsksToLead()
    {
        var follower = Create(R3, [], enteredEpoch: 1);
        follower.OnConfigurationRead(Initial.WithInSync([R1, R2]));

        Run(follower, TimeSpan.FromSeconds(10));
        follower.OnConfigurationRead(Initial.WithInSync([R1, R2]));

        Assert.Empty(Recording.ConfigurationWrites);
    }

    [Fact]
    public void Tick_InSyncFollowerLosesLeader_AsksStoreForNextEpochWithSameInSyncSet()
    {
        var follower = Create(R2, [], enteredEpoch: 1);
        follower.OnConfigurationRead(Initial);

        Run(follower, TimeSpan.FromSeconds(10));
        follower.OnConfigurationRead(Initial);

        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal(1, expected);
        Assert.Equal((2L, R2), (proposal.Epoch, proposal.Leader));
        Assert.Equal(Initial.InSync, proposal.InSync);

        follower.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));
        Assert.Equal(ReplicaRole.Leader, follower.Role);
        Assert.Equal([2L], Recording.PersistedEpochs);
    }

    [Fact]
    public void Tick_LeaderProcessStalledBeyondLagTimeout_KeepsFollowerThatHadNoChanceToAcknowledge()
    {
        // R3 was sent entry 1 when it was appended; then the leader's own process stalled (GC pause, CPU starvation):
        // nothing it sent left and nothing it was sent was read, so R3's silence is no evidence that it lags.
        var leader = LeaderWithEntryDurableExceptOnR3();

        Clock.Advance(TimeSpan.FromSeconds(5));
        leader.Tick();
        Run(leader, ReplicaOptions.DefaultFollowerLagTimeout - 2 * ReplicaOptions.DefaultHeartbeatInterval);

        Assert.Empty(Recording.ConfigurationWrites);

        // Still silent after a lag timeout of the leader's running time: now it lags.
        Run(leader, 2 * ReplicaOptions.DefaultHeartbeatInterval);
        var (_, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal([R1, R2], proposal.InSync.ToArray());
    }

    [Fact]
    public void Tick_FollowerProcessStalledBeyondLeaderTimeout_DoesNotAskToLeadBeforeReadingItsInbox()
    {
        var follower = Create(R2, [], enteredEpoch: 1);
        follower.OnConfigurationRead(Initial);
        follower.OnMessage(new AppendRequest(R1, 1, 0, 0, [], 0, 0));

        // The follower's process stalled: the leader's heartbeats wait unread in its inbox.
        Clock.Advance(TimeSpan.FromSeconds(10));
        follower.Tick();
        follower.OnConfigurationRead(Initial);
        follower.OnMessage(new AppendRequest(R1, 1, 0, 0, [], 0, 0));
        Run(follower, ReplicaOptions.DefaultLeaderTimeout - ReplicaOptions.DefaultHeartbeatInterval);
        follower.OnConfigurationRead(Initial);

        Assert.Empty(Recording.ConfigurationWrites);
        Assert.Equal(ReplicaRole.Follower, follower.Role);
    }

    /// <summary>
    /// Lets a running replica's time pass: the clock advances one heartbeat interval at a time, each followed by a tick; when it leads, R2, live,
    /// answers each heartbeat that it holds entry 1 durably (a follower the leader stops hearing is out of sync even when it owes nothing).
    /// </summary>
    private void Run(Replica replica, TimeSpan duration) => RunAnswering(replica, duration, durableOffset: 1, R2);

    /// <summary>A leader of epoch 1 whose entry 1 (request 7) is durable on itself and R2, not on R3.</summary>
    private Replica LeaderWithEntryDurableExceptOnR3()
    {
        var leader = CreateLeader();
        leader.Propose(7, new byte[] { 7 });
        leader.OnSynced(Recording.Syncs[0]);
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1));
        return leader;
    }

    private Replica CreateLeader(int? minInSyncReplicas = null)
    {
        var leader = new Replica(R1, [], 0, Recording, Clock, new ReplicaOptions { MinInSyncReplicas = minInSyncReplicas });
        leader.Start();
        leader.OnConfigurationRead(Initial);
        Assert.Equal(ReplicaRole.Leader, leader.Role);
        Recording.Sent.Clear();
        return leader;
    }

    private Replica Create(ReplicaId id, ImmutableArray<LogEntry> entries, long enteredEpoch) =>
        new(id, entries, enteredEpoch, Recording, Clock, new ReplicaOptions());

    private static LogEntry Entry(long epoch) => new(epoch, new byte[] { (byte)epoch });
}
