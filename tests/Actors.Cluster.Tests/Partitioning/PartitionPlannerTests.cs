using Actors.Cluster.Partitioning;

namespace Actors.Cluster.Tests.Partitioning;

public sealed class PartitionPlannerTests
{
    [Fact]
    public void Plan_OneSiloNothingOwned_AllToIt()
    {
        string?[] plan = PartitionPlanner.Plan(Snapshot(8, [Silo("a")], []));

        Assert.All(plan, owner => Assert.Equal("a", owner));
    }

    [Fact]
    public void Plan_SecondSiloJoins_HalfMovesAndTheRestStays()
    {
        string?[] plan = PartitionPlanner.Plan(Snapshot(8, [Silo("a"), Silo("b")], Enumerable.Repeat("a", 8).ToArray()));

        Assert.Equal(4, plan.Count(o => o == "a"));
        Assert.Equal(4, plan.Count(o => o == "b"));
        Assert.All(plan.Take(4), owner => Assert.Equal("a", owner));
    }

    [Fact]
    public void Plan_ThirdSiloJoins_OnlySurplusMoves()
    {
        string[] owners = ["a", "a", "a", "a", "b", "b", "b", "b", "a"];
        string?[] plan = PartitionPlanner.Plan(Snapshot(9, [Silo("a"), Silo("b"), Silo("c")], owners));

        Assert.Equal(3, plan.Count(o => o == "c"));
        int moved = plan.Select((owner, p) => owner != owners[p]).Count(m => m);
        Assert.Equal(3, moved);
    }

    [Fact]
    public void Plan_DeadOwner_KeepsItsPartitionsOutOfTheBalance()
    {
        string?[] plan = PartitionPlanner.Plan(Snapshot(6, [Silo("a"), Silo("b"), Silo("c", SiloStatus.Dead)], ["a", "a", "b", "b", "c", "c"]));

        Assert.Equal("c", plan[4]);
        Assert.Equal("c", plan[5]);
        Assert.Equal(2, plan.Count(o => o == "a"));
        Assert.Equal(2, plan.Count(o => o == "b"));
    }

    [Fact]
    public void Plan_SiloShuttingDown_GivesEverythingToActiveSilos()
    {
        string?[] plan = PartitionPlanner.Plan(Snapshot(4, [Silo("a"), Silo("b", SiloStatus.ShuttingDown)], ["a", "a", "b", "b"]));

        Assert.All(plan, owner => Assert.Equal("a", owner));
    }

    [Fact]
    public void PartitionMap_SameGrain_SamePartitionAndSpreadsEvenly()
    {
        int[] counts = new int[16];
        for (int i = 0; i < 16_000; i++)
        {
            counts[PartitionMap.GetPartition(new GrainId("account", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), 16)]++;
        }

        Assert.Equal(PartitionMap.GetPartition(new GrainId("account", "42"), 16), PartitionMap.GetPartition(GrainId.Parse("account/42"), 16));
        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }

    [Fact]
    public void DirectoryOwners_SiloJoins_MovesAboutAThirdOfRanges()
    {
        DirectoryOwners two = DirectoryOwners.Compute(Snapshot(300, [Silo("a"), Silo("b")], []));
        DirectoryOwners three = DirectoryOwners.Compute(Snapshot(300, [Silo("a"), Silo("b"), Silo("c")], []));

        int moved = Enumerable.Range(0, 300).Count(p => two[p] != three[p]);
        Assert.All(Enumerable.Range(0, 300).Where(p => two[p] != three[p]), p => Assert.Equal("c", three[p]));
        Assert.InRange(moved, 60, 140);
    }

    private static SiloRecord Silo(string name, SiloStatus status = SiloStatus.Active)
        => new(name, 1, status, name + ":1", null, DateTimeOffset.MaxValue, DateTimeOffset.MinValue, 1);

    private static ClusterSnapshot Snapshot(int partitions, SiloRecord[] silos, string?[] owners)
        => new("c", partitions, 1, DateTimeOffset.UnixEpoch, silos,
            Enumerable.Range(0, partitions).Select(p => new PartitionRecord(p, p < owners.Length ? owners[p] : null, 1, 1, PartitionState.Owned, null, 1)).ToArray());
}
