using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;

namespace Actors.Cluster.Tests.Replication;

public sealed class ReplicaPlacementTests
{
    [Fact]
    public void Choose_EnoughActiveSilos_OwnerFirstThenDistinctOthersSpreadByPartition()
    {
        ClusterSnapshot snapshot = Snapshot(("a", SiloStatus.Active), ("b", SiloStatus.Active), ("c", SiloStatus.Active), ("d", SiloStatus.Active));

        string[][] chosen = [.. Enumerable.Range(0, 3).Select(p => ReplicaPlacement.Choose(snapshot, p, "b", 3)!)];

        Assert.All(chosen, replicas => Assert.Equal("b", replicas[0]));
        Assert.All(chosen, replicas => Assert.Equal(3, replicas.Distinct().Count()));
        Assert.Equal(["b", "a", "c"], chosen[0]);
        Assert.Equal(["b", "c", "d"], chosen[1]);
        Assert.Equal(["b", "d", "a"], chosen[2]);
    }

    [Fact]
    public void Choose_FewerActiveSilosThanTheFactor_Null()
    {
        ClusterSnapshot snapshot = Snapshot(("a", SiloStatus.Active), ("b", SiloStatus.Active), ("c", SiloStatus.ShuttingDown), ("d", SiloStatus.Dead));

        Assert.Null(ReplicaPlacement.Choose(snapshot, 0, "a", 3));
        Assert.Equal(["a", "b"], ReplicaPlacement.Choose(snapshot, 0, "a", 2)!);
    }

    private static ClusterSnapshot Snapshot(params (string Name, SiloStatus Status)[] silos) => new(
        "c", 4, 1, DateTimeOffset.UnixEpoch,
        [.. silos.Select(s => new SiloRecord(s.Name, 1, s.Status, $"{s.Name}:1", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1))],
        [.. Enumerable.Range(0, 4).Select(p => new PartitionRecord(p, null, 0, 0, PartitionState.Owned, null, 1))]);
}
