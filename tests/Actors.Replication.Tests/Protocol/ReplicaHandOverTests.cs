using Actors.Replication.Configuration;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

/// <summary><see cref="Replica.HandOver"/>: drain, catch-up, the next epoch's row naming the target, stepping down.</summary>
public sealed class ReplicaHandOverTests : ReplicaProtocolTests
{
    private static readonly ReplicaConfiguration Initial = ReplicaConfiguration.Initial(R1, [R1, R2, R3]);

    [Fact]
    public void HandOver_TargetBehind_RefusesProposalsAndNamesItLeaderOfNextEpochOnlyOnceCaughtUp()
    {
        var leader = LeaderWithEntryDurableExceptOnR3();

        Assert.True(leader.HandOver(R3));
        Assert.Equal(R3, leader.HandingOverTo);
        Assert.Empty(Recording.ConfigurationWrites);

        leader.Propose(8, new byte[] { 8 });
        Assert.Equal([(8L, false)], Recording.Abandoned);
        Assert.Equal(1, leader.Log.EndOffset);

        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));
        Assert.Equal([(7L, 1L, 1L)], Recording.Acknowledged);
        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal(Initial.Version, expected);
        Assert.Equal(R3, proposal.Leader);
        Assert.Equal(2, proposal.Epoch);
        Assert.Equal(Initial.InSync, proposal.InSync);

        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));
        Assert.Equal(ReplicaRole.Follower, leader.Role);
        Assert.Null(leader.HandingOverTo);
        Assert.Equal([(8L, false)], Recording.Abandoned);
    }

    [Fact]
    public void HandOver_WrittenButReplyLost_NoReadLease()
    {
        // The hand-over's write may take effect without its reply ever arriving (a link cut to the store): the target then
        // leads and acknowledges at once, so the old leader serves no read from the moment it sent the write.
        var leader = LeaderWithEntryDurableExceptOnR3();
        Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1, Clock.GetTimestamp()));
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1, Clock.GetTimestamp()));
        Assert.True(leader.HoldsReadLease());

        Assert.True(leader.HandOver(R2));
        Assert.Single(Recording.ConfigurationWrites);

        Assert.False(leader.HoldsReadLease());
        Assert.Equal(ReplicaRole.Leader, leader.Role);
    }

    [Fact]
    public void HandOver_NoTargetNamed_PicksTheInSyncFollowerWithTheLongestDurableLog()
    {
        var leader = LeaderWithEntryDurableExceptOnR3();

        Assert.True(leader.HandOver());

        Assert.Equal(R2, leader.HandingOverTo);
        Assert.Empty(Recording.ConfigurationWrites); // entry 1 is not acknowledged until R3 has it too

        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));
        Assert.Equal(R2, Assert.Single(Recording.ConfigurationWrites).Proposal.Leader);
    }

    [Fact]
    public void HandOver_TargetNeverCatchesUp_GivesUpAfterTheLeaderTimeoutAndLeadsOn()
    {
        var leader = LeaderWithEntryDurableExceptOnR3();
        Assert.True(leader.HandOver(R3));

        Clock.Advance(new ReplicaOptions().LeaderTimeout);
        leader.Tick();

        Assert.Null(leader.HandingOverTo);
        Assert.Equal(ReplicaRole.Leader, leader.Role);
        Assert.DoesNotContain(Recording.ConfigurationWrites, w => w.Proposal.Epoch > 1);
        leader.Propose(9, new byte[] { 9 });
        Assert.Equal(2, leader.Log.EndOffset);
    }

    [Fact]
    public void HandOver_Follower_RefusedAndNothingChanges()
    {
        var follower = new Replica(R2, [], 0, Recording, Clock, new ReplicaOptions());
        follower.Start();
        follower.OnConfigurationRead(Initial);

        Assert.False(follower.HandOver());
        Assert.Null(follower.HandingOverTo);
        Assert.Empty(Recording.ConfigurationWrites);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HandOver_SuccessorSilentAfterward_OnlyAnUnretiredOldLeaderStandsAgain(bool retired)
    {
        // A silo stopping hands over, then its replica waits for the successor's first heartbeat; the successor learns of
        // its election only at its next read of the store. Unretired, the old leader elects itself again once the leader
        // timeout (and the back-off) ran out; retired (the stopping silo's replicas), it never does.
        var leader = LeaderWithEntryDurableExceptOnR3();
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));
        Assert.True(leader.HandOver(R2));
        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));
        Assert.Equal(ReplicaRole.Follower, leader.Role);
        if (retired)
        {
            leader.Retire();
        }

        for (int i = 0; i < 100; i++)
        {
            Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
            leader.Tick();
            leader.OnConfigurationRead(proposal);
        }

        bool stoodAgain = Recording.ConfigurationWrites.Any(w => w.Proposal.Leader == R1 && w.Proposal.Epoch > proposal.Epoch);
        Assert.True(stoodAgain != retired, $"retired {retired}: the old leader {(stoodAgain ? "proposed itself leader again" : "did not propose itself")} over 5 s of a silent successor");
        Assert.Equal(ReplicaRole.Follower, leader.Role);
    }

    /// <summary>A leader of epoch 1 whose entry 1 (request 7) is durable on itself and R2, not on R3.</summary>
    private Replica LeaderWithEntryDurableExceptOnR3()
    {
        var leader = new Replica(R1, [], 0, Recording, Clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(Initial);
        Assert.Equal(ReplicaRole.Leader, leader.Role);
        leader.Propose(7, new byte[] { 7 });
        leader.OnSynced(Recording.Syncs[0]);
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1));
        return leader;
    }
}
