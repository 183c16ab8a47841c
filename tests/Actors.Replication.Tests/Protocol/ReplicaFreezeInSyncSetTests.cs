using Actors.Replication.Configuration;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

/// <summary>
/// <see cref="Replica.FreezeInSyncSet"/>: a leader whose process is stopping (its links close before its replica stops)
/// removes no follower from the in-sync set, so the row stays as a crash would leave it; it still adds one.
/// </summary>
public sealed class ReplicaFreezeInSyncSetTests : ReplicaProtocolTests
{
    /// <summary>Factor 2: the default in-sync floor is 1, so an unfrozen leader may shrink the set to itself.</summary>
    private static readonly ReplicaConfiguration FactorTwo = ReplicaConfiguration.Initial(R1, [R1, R2]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tick_FollowerSilentWhileTheLeadersProcessStops_OnlyAnUnfrozenLeaderRemovesIt(bool frozen)
    {
        // The leader's process stops and its links close before its replica does: its only follower falls silent. Unfrozen,
        // the leader removes it, and the row names the leader alone in sync: no follower may take the partition over while
        // the leader is gone. Frozen, the row keeps both, and the follower elects itself once the leader is silent.
        var leader = CreateLeader(FactorTwo);
        if (frozen)
        {
            leader.FreezeInSyncSet();
        }

        RunAnswering(leader, 10 * ReplicaOptions.DefaultFollowerLagTimeout, durableOffset: 0);

        Assert.Equal(frozen, leader.InSyncSetFrozen);
        if (frozen)
        {
            Assert.Empty(Recording.ConfigurationWrites);
        }
        else
        {
            var (expected, removal) = Assert.Single(Recording.ConfigurationWrites);
            Assert.Equal(FactorTwo.Version, expected);
            Assert.Equal([R1], removal.InSync.ToArray());
        }
    }

    [Fact]
    public void Propose_FrozenLeaderFollowerSilent_WaitsForItAndAcknowledgesOnceItAnswers()
    {
        var leader = CreateLeader(FactorTwo);
        leader.FreezeInSyncSet();
        leader.Propose(7, new byte[] { 7 });
        leader.OnSynced(Recording.Syncs[^1]);

        // Nothing is acknowledged by the leader alone, nothing abandoned while it leads, and the set stays.
        RunAnswering(leader, 10 * ReplicaOptions.DefaultFollowerLagTimeout, durableOffset: 0);
        Assert.Empty(Recording.Acknowledged);
        Assert.Empty(Recording.Abandoned);
        Assert.Empty(Recording.ConfigurationWrites);
        Assert.False(leader.HoldsReadLease());

        RunAnswering(leader, ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 1, R2);
        Assert.Equal([(7L, 1L, 1L)], Recording.Acknowledged);
    }

    [Fact]
    public void Tick_FrozenLeaderFollowerOutsideTheSetCaughtUp_AddsIt()
    {
        // Adding a replica that holds every acknowledged entry only gives the partition one more possible successor.
        var leader = CreateLeader(FactorTwo.WithInSync([R1]));
        leader.FreezeInSyncSet();

        RunAnswering(leader, 2 * ReplicaOptions.DefaultHeartbeatInterval, durableOffset: 0, R2);

        var (_, addition) = Assert.Single(Recording.ConfigurationWrites);
        Assert.Equal([R1, R2], addition.InSync.ToArray());
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
