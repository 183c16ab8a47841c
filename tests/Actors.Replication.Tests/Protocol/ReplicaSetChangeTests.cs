using Actors.Replication.Configuration;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

/// <summary><see cref="Replica.ChangeReplicas"/>: a leader replaces a replica outside its in-sync set by a new one.</summary>
public sealed class ReplicaSetChangeTests : ReplicaProtocolTests
{
    private static readonly ReplicaId R4 = new(4);

    /// <summary>Epoch 1, R1 leads, R3 is out of the in-sync set (its silo gone).</summary>
    private static readonly ReplicaConfiguration WithoutR3 = ReplicaConfiguration.Initial(R1, [R1, R2, R3]).WithInSync([R1, R2]);

    [Fact]
    public void ChangeReplicas_OutOfSyncReplicaForNewOne_WritesTheSetInTheSameEpochWithTheInSyncSetUnchanged()
    {
        var leader = Leader(WithoutR3);

        Assert.True(leader.ChangeReplicas(R3, R4));

        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal(WithoutR3.Version, expected);
        Assert.Equal(WithoutR3.Epoch, proposal.Epoch);
        Assert.Equal(R1, proposal.Leader);
        Assert.Equal([R1, R2, R4], proposal.Replicas.ToArray());
        Assert.Equal([R1, R2], proposal.InSync.ToArray());
    }

    [Fact]
    public void ChangeReplicas_Accepted_NewReplicaIsSentRequestsAndJoinsTheInSyncSetOnlyOnceItHoldsEveryAcknowledgedEntry()
    {
        var leader = Leader(WithoutR3);
        leader.Propose(7, new byte[] { 7 });
        leader.OnSynced(Recording.Syncs[^1]);
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1));
        Assert.Equal([(7L, 1L, 1L)], Recording.Acknowledged);
        Assert.True(leader.ChangeReplicas(R3, R4));
        var (expected, proposal) = Recording.ConfigurationWrites[^1];
        Recording.Sent.Clear();

        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));

        Assert.NotEmpty(Recording.SentTo<AppendRequest>(R4));
        Recording.Sent.Clear();
        Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
        leader.Tick();
        Assert.Empty(Recording.SentTo<AppendRequest>(R3));

        // An empty log: nothing of it is durable yet, so it stays outside the set.
        leader.OnMessage(new AppendAccepted(R4, 1, 0, 0));
        leader.Tick();
        Assert.DoesNotContain(Recording.ConfigurationWrites, w => w.Proposal.IsInSync(R4));

        leader.OnMessage(new AppendAccepted(R4, 1, 1, 1));
        leader.Tick();
        var (_, grown) = Recording.ConfigurationWrites[^1];
        Assert.Equal([R1, R2, R4], grown.InSync.ToArray());
        Assert.Equal(1, grown.Epoch);
    }

    [Fact]
    public void ChangeReplicas_ReplicaInTheInSyncSet_Refused()
    {
        var leader = Leader(WithoutR3);

        Assert.False(leader.ChangeReplicas(R2, R4));
        Assert.False(leader.ChangeReplicas(R1, R4));
        Assert.Empty(Recording.ConfigurationWrites);
    }

    [Fact]
    public void ChangeReplicas_AddingAReplicaOfTheSetOrRemovingAStranger_Refused()
    {
        var leader = Leader(WithoutR3);

        Assert.False(leader.ChangeReplicas(null, R2));
        Assert.False(leader.ChangeReplicas(R4, null));
        Assert.False(leader.ChangeReplicas(null, null));
        Assert.Empty(Recording.ConfigurationWrites);
    }

    [Fact]
    public void ChangeReplicas_WhileAConfigurationWriteIsUnresolved_RefusedUntilTheStoreAnswers()
    {
        var leader = Leader(WithoutR3);
        Assert.True(leader.ChangeReplicas(R3, null));

        Assert.False(leader.ChangeReplicas(null, R4));

        var (expected, proposal) = Assert.Single(Recording.ConfigurationWrites);
        leader.OnConfigurationWritten(expected, new ConfigurationWriteResult(true, proposal));
        Assert.True(leader.ChangeReplicas(null, R4));
        Assert.Equal([R1, R2, R4], Recording.ConfigurationWrites[^1].Proposal.Replicas.ToArray());
    }

    [Fact]
    public void ChangeReplicas_Follower_Refused()
    {
        var follower = new Replica(R2, [], 0, Recording, Clock, new ReplicaOptions());
        follower.Start();
        follower.OnConfigurationRead(WithoutR3 with { Leader = R1 });

        Assert.False(follower.ChangeReplicas(R3, R4));
        Assert.Empty(Recording.ConfigurationWrites);
    }

    private Replica Leader(ReplicaConfiguration configuration)
    {
        var leader = new Replica(R1, [], 0, Recording, Clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(configuration);
        Assert.Equal(ReplicaRole.Leader, leader.Role);
        return leader;
    }
}
