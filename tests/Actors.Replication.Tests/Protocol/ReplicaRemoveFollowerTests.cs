using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

/// <summary>
/// <see cref="Replica.RemoveFollower"/>: a move's last step, the leader takes a follower (in the in-sync set too) out of
/// the replica set and the in-sync set in one conditional write of its epoch, and waits for it until the store accepted.
/// </summary>
public sealed class ReplicaRemoveFollowerTests : ReplicaProtocolTests
{
    private static readonly ReplicaId R4 = new(4);

    /// <summary>Epoch 1, R1 leads, R1..R3 in sync: a move added R3 and it caught up (factor 2 plus the new replica).</summary>
    private static readonly ReplicaConfiguration AllInSync = ReplicaConfiguration.Initial(R1, [R1, R2, R3]);

    [Fact]
    public void RemoveFollower_InSyncFollower_WritesTheSetWithoutItInBothSetsInTheSameEpoch()
    {
        var leader = CreateLeader(AllInSync);

        Assert.True(leader.RemoveFollower(R2));

        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal(AllInSync.Version, expected);
        Assert.Equal(AllInSync.Version + 1, proposal.Version);
        Assert.Equal(AllInSync.Epoch, proposal.Epoch);
        Assert.Equal(R1, proposal.Leader);
        Assert.Equal([R1, R3], proposal.Replicas.ToArray());
        Assert.Equal([R1, R3], proposal.InSync.ToArray());
    }

    [Fact]
    public void RemoveFollower_UntilTheStoreAccepts_AcknowledgementWaitsForTheRemovedFollower()
    {
        var leader = CreateLeader(AllInSync);
        Assert.True(leader.RemoveFollower(R2));
        var (expected, proposal) = Recording.ConfigurationWrites[^1];

        leader.Propose(7, new byte[] { 7 });
        leader.OnSynced(Recording.Syncs[^1]);
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));

        // Durable on the leader and R3 only: R2 is still in sync as far as the store is known to say.
        Assert.Empty(Recording.Acknowledged);

        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));

        Assert.Equal([(7L, 1L, 1L)], Recording.Acknowledged);
        Assert.Equal([R1, R3], leader.Configuration!.Replicas.ToArray());
    }

    [Fact]
    public void RemoveFollower_StoreRefusesTheWrite_AcknowledgementStillWaitsForTheFollower()
    {
        var leader = CreateLeader(AllInSync);
        Assert.True(leader.RemoveFollower(R2));
        var (expected, _) = Recording.ConfigurationWrites[^1];
        leader.Propose(7, new byte[] { 7 });
        leader.OnSynced(Recording.Syncs[^1]);
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));

        // Another replica won the row (a new epoch): this leader steps down, nothing acknowledged without R2.
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(false, AllInSync.WithNewLeader(R3)));

        Assert.Empty(Recording.Acknowledged);
        Assert.NotEqual(ReplicaRole.Leader, leader.Role);
    }

    [Fact]
    public void RemoveFollower_DeliberatelyBrokenLeaderThatStopsWaitingAtOnce_AcknowledgesWithoutTheFollower()
    {
        // The check above fails against the broken variant the simulator must catch (RemovedFollowerNotAwaited).
        var leader = new Replica(R1, ReplicaCheckpoint.Empty, 1, [], 0, Recording, Clock, new ReplicaOptions(), new ReplicaFaults { RemovedFollowerNotAwaited = true });
        leader.Start();
        leader.OnConfigurationRead(AllInSync);
        Assert.True(leader.RemoveFollower(R2));
        leader.Propose(7, new byte[] { 7 });
        leader.OnSynced(Recording.Syncs[^1]);
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));

        Assert.Equal([(7L, 1L, 1L)], Recording.Acknowledged);
    }

    [Fact]
    public void RemoveFollower_Accepted_TheFollowerIsSentNothingMoreAndNotAddedBack()
    {
        var leader = CreateLeader(AllInSync);
        Assert.True(leader.RemoveFollower(R2));
        var (expected, proposal) = Recording.ConfigurationWrites[^1];
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));
        Recording.Sent.Clear();

        RunAnswering(leader, 3 * ReplicaOptions.DefaultFollowerLagTimeout, durableOffset: 0, R2, R3);

        Assert.Empty(Recording.SentTo<AppendRequest>(R2));
        Assert.NotEmpty(Recording.SentTo<AppendRequest>(R3));
        Assert.Single(Recording.ConfigurationWrites);
    }

    [Fact]
    public void RemoveFollower_InSyncSetLeftBelowTheFloor_RefusedButAnOutOfSyncFollowerIsRemoved()
    {
        // Three replicas, R3 out of sync: the default floor for three is two, so R2 must stay; R3 may go.
        var leader = CreateLeader(AllInSync.WithInSync([R1, R2]));

        Assert.False(leader.RemoveFollower(R2));
        Assert.Empty(Recording.ConfigurationWrites);

        Assert.True(leader.RemoveFollower(R3));
        var (_, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal([R1, R2], proposal.Replicas.ToArray());
        Assert.Equal([R1, R2], proposal.InSync.ToArray());
    }

    [Fact]
    public void RemoveFollower_FloorSetByMinInSyncReplicas_Refused()
    {
        var leader = new Replica(R1, [], 0, Recording, Clock, new ReplicaOptions { MinInSyncReplicas = 3 });
        leader.Start();
        leader.OnConfigurationRead(AllInSync);

        Assert.False(leader.RemoveFollower(R2));
        Assert.Empty(Recording.ConfigurationWrites);
    }

    [Fact]
    public void RemoveFollower_TheLeaderOrAStranger_Refused()
    {
        var leader = CreateLeader(AllInSync);

        Assert.False(leader.RemoveFollower(R1));
        Assert.False(leader.RemoveFollower(R4));
        Assert.Empty(Recording.ConfigurationWrites);
    }

    [Fact]
    public void RemoveFollower_InSyncSetFrozen_RefusedForAnInSyncFollower()
    {
        var leader = CreateLeader(AllInSync);
        leader.FreezeInSyncSet();

        Assert.False(leader.RemoveFollower(R2));
        Assert.Empty(Recording.ConfigurationWrites);
    }

    [Fact]
    public void RemoveFollower_WhileAConfigurationWriteIsUnresolved_RefusedUntilTheStoreAnswers()
    {
        var leader = CreateLeader(AllInSync);
        Assert.True(leader.RemoveFollower(R3));

        Assert.False(leader.RemoveFollower(R2));

        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));

        // Two replicas left, both in sync: the floor for two (and for one) is one, so R2 may go too.
        Assert.True(leader.RemoveFollower(R2));
        Assert.Equal([R1], Recording.ConfigurationWrites[^1].Proposal.Replicas.ToArray());
    }

    [Fact]
    public void RemoveFollower_WhileHandingOver_Refused()
    {
        var leader = CreateLeader(AllInSync);
        Assert.True(leader.HandOver(R3));

        Assert.False(leader.RemoveFollower(R2));
    }

    [Fact]
    public void RemoveFollower_Follower_Refused()
    {
        var follower = new Replica(R2, [], 0, Recording, Clock, new ReplicaOptions());
        follower.Start();
        follower.OnConfigurationRead(AllInSync);

        Assert.False(follower.RemoveFollower(R3));
        Assert.Empty(Recording.ConfigurationWrites);
    }

    private Replica CreateLeader(ReplicaConfiguration row)
    {
        var leader = new Replica(R1, [], 0, Recording, Clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(row);
        Assert.Equal(ReplicaRole.Leader, leader.Role);
        return leader;
    }
}
