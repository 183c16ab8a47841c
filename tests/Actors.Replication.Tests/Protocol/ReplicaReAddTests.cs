using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

/// <summary>
/// A replica added to the set whose log may be empty (new, or removed, wiped by its silo and added back): the leader lets
/// it into the in-sync set only on what it says after it was added, and only once it holds every entry acknowledged,
/// earlier epochs' included.
/// </summary>
public sealed class ReplicaReAddTests : ReplicaProtocolTests
{
    private static readonly TimeSpan Heartbeat = ReplicaOptions.DefaultHeartbeatInterval;

    [Fact]
    public void ChangeReplicas_ReAddedReplicasAnswerSentBeforeItsRemoval_IsNotCountedButItsNewAnswerIs()
    {
        var leader = CreateLeader(ReplicaFaults.None);
        AppendOneEntryRemoveAndAddBackR3(leader, out var stale);

        // R3's acknowledgement of entry 1, sent before its removal, arrives after it was added back (its log wiped since).
        leader.OnMessage(stale);
        TickWithR2Answering(leader);

        Assert.DoesNotContain(Recording.ConfigurationWrites, w => w.Proposal.IsInSync(R3));

        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1, Recording.SentTo<AppendRequest>(R3).Last().LeaseStamp));
        TickWithR2Answering(leader);

        Assert.True(Recording.ConfigurationWrites[^1].Proposal.IsInSync(R3), $"R3 not let in: {Recording.ConfigurationWrites[^1].Proposal}");
    }

    [Fact]
    public void ChangeReplicas_DeliberatelyBrokenLeaderCountingStaleAnswers_LetsTheReAddedReplicaInOnThem()
    {
        // The check above fails against the broken variant (StaleAnswersOfAddedReplicaCounted).
        var leader = CreateLeader(new ReplicaFaults { StaleAnswersOfAddedReplicaCounted = true });
        AppendOneEntryRemoveAndAddBackR3(leader, out var stale);

        leader.OnMessage(stale);
        TickWithR2Answering(leader);

        Assert.True(Recording.ConfigurationWrites[^1].Proposal.IsInSync(R3));
    }

    [Fact]
    public void Tick_RestartedLeaderBlockedAtItsFloor_AddedReplicaJoinsOnlyOnceItHoldsTheEarlierEpochsEntries()
    {
        // R1 restarted with three entries of epoch 1, every one acknowledged before (its commit offset is forgotten).
        var leader = new Replica(R1, [new LogEntry(1, new byte[] { 1 }), new LogEntry(1, new byte[] { 2 }), new LogEntry(1, new byte[] { 3 })], 1, Recording, Clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]).WithInSync([R1, R2]));
        var (expected, proposal) = Recording.ConfigurationWrites[^1];
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));
        Assert.Equal(ReplicaRole.Leader, leader.Role);
        int writes = Recording.ConfigurationWrites.Count;

        // R2, in sync, falls silent: at the floor (two of three) it stays and the leader is blocked. R3, added back
        // empty, answers that it holds nothing.
        for (var elapsed = TimeSpan.Zero; elapsed < 2 * ReplicaOptions.DefaultFollowerLagTimeout; elapsed += Heartbeat)
        {
            Clock.Advance(Heartbeat);
            leader.Tick();
            leader.OnMessage(new AppendAccepted(R3, proposal.Epoch, 0, 0, Recording.SentTo<AppendRequest>(R3).Last().LeaseStamp));
        }

        Assert.True(writes == Recording.ConfigurationWrites.Count, $"written: {Recording.ConfigurationWrites[^1].Proposal}");

        leader.OnMessage(new AppendAccepted(R3, proposal.Epoch, 3, 3, Recording.SentTo<AppendRequest>(R3).Last().LeaseStamp));
        Clock.Advance(Heartbeat);
        leader.Tick();

        Assert.True(Recording.ConfigurationWrites[^1].Proposal.IsInSync(R3), $"R3 not let in: {Recording.ConfigurationWrites[^1].Proposal}");
    }

    /// <summary>Epoch 1, R1 leads, R3 out of sync: entry 1 is acknowledged by R1 and R2; R3's answer to it is held back, then R3 is removed and added back.</summary>
    private void AppendOneEntryRemoveAndAddBackR3(Replica leader, out AppendAccepted stale)
    {
        leader.Propose(7, new byte[] { 7 });
        leader.OnSynced(Recording.Syncs[^1]);
        stale = new AppendAccepted(R3, 1, 1, 1, Recording.SentTo<AppendRequest>(R3).Last().LeaseStamp);
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1, Recording.SentTo<AppendRequest>(R2).Last().LeaseStamp));
        Assert.Single(Recording.Acknowledged);

        foreach (var (remove, add) in new (ReplicaId?, ReplicaId?)[] { (R3, null), (null, R3) })
        {
            Clock.Advance(TimeSpan.FromMilliseconds(5));
            Assert.True(leader.ChangeReplicas(remove, add));
            var (expected, proposal) = Recording.ConfigurationWrites[^1];
            leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));
        }

        Assert.Equal([R1, R2, R3], leader.Configuration!.Replicas.ToArray());
        Assert.False(leader.Configuration.IsInSync(R3));
    }

    private void TickWithR2Answering(Replica leader)
    {
        Clock.Advance(Heartbeat);
        leader.Tick();
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1, Recording.SentTo<AppendRequest>(R2).Last().LeaseStamp));
        Clock.Advance(Heartbeat);
        leader.Tick();
    }

    private Replica CreateLeader(ReplicaFaults faults)
    {
        var leader = new Replica(R1, ReplicaCheckpoint.Empty, 1, [], 0, Recording, Clock, new ReplicaOptions(), faults);
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]).WithInSync([R1, R2]));
        Assert.Equal(ReplicaRole.Leader, leader.Role);
        return leader;
    }
}
