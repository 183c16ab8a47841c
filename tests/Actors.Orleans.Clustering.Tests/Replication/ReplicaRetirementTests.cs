using Actors.Orleans.Clustering.Replication;
using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Replication.Protocol;
using Actors.Replication.Wal;

namespace Actors.Orleans.Clustering.Tests.Replication;

/// <summary>When a silo may retire its replica of a partition (<see cref="ReplicaRetirement.WhyKept"/>): only on a row at least as new as the one it started under that names it nowhere, and never while its host acts as leader.</summary>
public sealed class ReplicaRetirementTests
{
    private const int Me = 3;
    private static readonly ReplicaStatus Follower = new(ReplicaRole.Follower, 4, new ReplicaId(1), 10, 10, 10, false);

    [Fact]
    public void WhyKept_RowAtLeastAsNewAsTheStartNamesItNowhere_RetiresIt()
    {
        Assert.Null(ReplicaRetirement.WhyKept(Me, 7, Row(7, leader: 1, replicas: [1, 2], inSync: [1, 2]), Follower));
        Assert.Null(ReplicaRetirement.WhyKept(Me, 7, Row(9, leader: 1, replicas: [1, 2], inSync: [1]), Follower));
    }

    [Fact]
    public void WhyKept_RowOlderThanTheOneItStartedUnder_KeepsIt()
    {
        // A stale read (a cached row, a read that began before the start) may predate the write that added the replica.
        string? kept = ReplicaRetirement.WhyKept(Me, 8, Row(6, leader: 1, replicas: [1, 2], inSync: [1, 2]), Follower);

        Assert.NotNull(kept);
        Assert.Contains("older", kept, StringComparison.Ordinal);
    }

    [Fact]
    public void WhyKept_RowNamesIt_KeepsIt() =>
        Assert.NotNull(ReplicaRetirement.WhyKept(Me, 7, Row(8, leader: 1, replicas: [1, 2, Me], inSync: [1, 2]), Follower));

    [Fact]
    public void WhyKept_ItLeadsInTheRow_KeepsIt() =>
        Assert.Contains("leads", ReplicaRetirement.WhyKept(Me, 7, Row(8, leader: Me, replicas: [1, 2], inSync: [1, 2, Me]), Follower), StringComparison.Ordinal);

    [Fact]
    public void WhyKept_ItIsInTheRowsInSyncSet_KeepsIt() =>
        Assert.Contains("in-sync", ReplicaRetirement.WhyKept(Me, 7, Row(8, leader: 1, replicas: [1, 2], inSync: [1, Me]), Follower), StringComparison.Ordinal);

    [Fact]
    public void WhyKept_ItsHostStillActsAsLeaderOrHandsOver_KeepsIt()
    {
        ReplicaConfiguration row = Row(8, leader: 1, replicas: [1, 2], inSync: [1, 2]);

        Assert.NotNull(ReplicaRetirement.WhyKept(Me, 7, row, Follower with { Role = ReplicaRole.Leader }));
        Assert.NotNull(ReplicaRetirement.WhyKept(Me, 7, row, Follower, handingOver: true));
    }

    [Fact]
    public void WhyKept_NoRow_KeepsIt() => Assert.NotNull(ReplicaRetirement.WhyKept(Me, 0, null, null));

    [Fact]
    public void WhyKept_ReAddedReplicaNotRunning_IsKeptOnceTheRowNamesItAgain()
    {
        // Removed at version 8 (its directory may go), added back at version 9: the row names it, so its directory is kept
        // and the replica starts (empty once retired, catching up from the leader).
        Assert.Null(ReplicaRetirement.WhyKept(Me, 0, Row(8, leader: 1, replicas: [1, 2], inSync: [1, 2]), null));
        Assert.NotNull(ReplicaRetirement.WhyKept(Me, 0, Row(9, leader: 1, replicas: [1, 2, Me], inSync: [1, 2]), null));
    }

    private static ReplicaConfiguration Row(long version, int leader, int[] replicas, int[] inSync) =>
        new(version, 4, new ReplicaId(leader), [.. replicas.Select(r => new ReplicaId(r)).Order()], [.. inSync.Select(r => new ReplicaId(r)).Order()]);
}
