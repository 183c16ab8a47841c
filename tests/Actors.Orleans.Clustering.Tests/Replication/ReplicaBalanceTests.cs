using Actors.Orleans.Clustering.Replication;
using Actors.Replication;
using Actors.Replication.Configuration;

namespace Actors.Orleans.Clustering.Tests.Replication;

/// <summary>
/// The deterministic replica plan: a silo that joined gets replicas from the silos above their share, never of a partition
/// it holds, never the leader's own replica; a move under way finishes by removing the old replica, never the new one
/// while it catches up.
/// </summary>
public sealed class ReplicaBalanceTests
{
    private static readonly HashSet<int> Three = [1, 2, 3];

    [Fact]
    public void Plan_ThirdSiloJoinsTwoThatHoldEverything_ItGetsItsShareEachPartitionMovedOnce()
    {
        // 12 partitions at factor 2 on replicas 1 and 2 (leaders alternating); replica 3 joined and holds nothing.
        Dictionary<int, ReplicaConfiguration> rows = Rows(12, p => 1 + (p % 2), _ => [1, 2]);

        IReadOnlyList<ReplicaBalance.Move> plan = ReplicaBalance.Plan(rows, Three, factor: 2);

        Dictionary<int, int> held = Apply(rows, plan);
        Assert.All(plan, m => Assert.Equal(3, m.To));
        Assert.All(plan, m => Assert.NotEqual(rows[m.Partition].Leader.Value, m.From));
        Assert.Equal(plan.Count, plan.Select(m => m.Partition).Distinct().Count());
        Assert.Equal(8, ReplicaBalance.Share(12, 2, 3));
        Assert.Equal([8, 8, 8], new[] { held[1], held[2], held[3] });
    }

    [Fact]
    public void Plan_SameInput_SamePlanWhateverTheOrderOfTheRows()
    {
        Dictionary<int, ReplicaConfiguration> rows = Rows(20, p => p % 3 == 0 ? 2 : 1, _ => [1, 2]);
        var shuffled = rows.OrderBy(r => (r.Key * 7919) % 23).ToDictionary(r => r.Key, r => r.Value);

        IReadOnlyList<ReplicaBalance.Move> first = ReplicaBalance.Plan(rows, new HashSet<int> { 3, 1, 2 }, 2);
        IReadOnlyList<ReplicaBalance.Move> second = ReplicaBalance.Plan(shuffled, Three, 2);

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Plan_Balanced_NoMove()
    {
        // Factor 2 over three replicas, each named by 8 of 12 rows.
        Dictionary<int, ReplicaConfiguration> rows = Rows(12, p => 1 + (p % 3), p => [1 + (p % 3), 1 + ((p + 1) % 3)]);

        Assert.Empty(ReplicaBalance.Plan(rows, Three, 2));
    }

    [Fact]
    public void Plan_RowOutOfSyncOrNamingAnInactiveReplicaOrMidMove_NotMoved()
    {
        Dictionary<int, ReplicaConfiguration> rows = Rows(12, p => 1 + (p % 2), _ => [1, 2]);
        rows[0] = rows[0].WithInSync([new ReplicaId(1)]);
        rows[2] = Row(1, [1, 4], [1, 4]);
        rows[4] = Row(1, [1, 2, 3], [1, 2]);

        IReadOnlyList<ReplicaBalance.Move> plan = ReplicaBalance.Plan(rows, Three, 2);

        Assert.NotEmpty(plan);
        Assert.DoesNotContain(plan, m => m.Partition is 0 or 2 or 4);
    }

    [Fact]
    public void Plan_DonorLeadsAllItsPartitions_ItsReplicasStay()
    {
        // Replica 1 leads every partition and holds all 12: a leader never removes itself, so only replica 2 gives.
        Dictionary<int, ReplicaConfiguration> rows = Rows(12, _ => 1, _ => [1, 2]);

        IReadOnlyList<ReplicaBalance.Move> plan = ReplicaBalance.Plan(rows, Three, 2);

        Assert.All(plan, m => Assert.Equal(2, m.From));
        Assert.Equal(4, plan.Count);
    }

    [Fact]
    public void Plan_MoveUnderWay_CountedAsDone()
    {
        // Two moves under way to replica 3: partitions 0 (its new replica in sync) and 1 (catching up).
        Dictionary<int, ReplicaConfiguration> rows = Rows(12, p => 1 + (p % 2), _ => [1, 2]);
        rows[1] = Row(2, [1, 2, 3], [1, 2]);
        rows[0] = Row(1, [1, 2, 3], [1, 2, 3]);

        IReadOnlyList<ReplicaBalance.Move> plan = ReplicaBalance.Plan(rows, Three, 2);

        // Partition 0 (led by 1) removes replica 2, partition 1 (led by 2) replica 1: each counts 11, replica 3 two; the
        // share is 8, so each gives 3 more.
        Dictionary<int, int> held = ReplicaBalance.Held(rows, Three, 2);
        Assert.Equal([11, 11, 2], new[] { held[1], held[2], held[3] });
        Assert.Equal(3, plan.Count(m => m.From == 1));
        Assert.Equal(3, plan.Count(m => m.From == 2));
        Assert.All(plan, m => Assert.Equal(3, m.To));
        Assert.DoesNotContain(plan, m => m.Partition is 0 or 1);
    }

    [Fact]
    public void Leaving_NewReplicaCatchingUp_NoneUntilItIsInSyncThenTheOldOne()
    {
        // Factor 2: replica 1 leads, 2 is the old replica (its silo above its share), 3 the new one.
        Dictionary<int, int> named = new() { [1] = 12, [2] = 12, [3] = 1 };
        ReplicaConfiguration catchingUp = Row(1, [1, 2, 3], [1, 2]);

        Assert.Null(ReplicaBalance.Leaving(catchingUp, named, Three, 2));
        Assert.Equal(new ReplicaId(2), ReplicaBalance.Leaving(catchingUp.WithInSync([new(1), new(2), new(3)]), named, Three, 2));
    }

    [Fact]
    public void Leaving_OldReplicaFellOutOfSync_RemovedOnceTheNewOneIsInSync()
    {
        Dictionary<int, int> named = new() { [1] = 12, [2] = 12, [3] = 1 };

        Assert.Null(ReplicaBalance.Leaving(Row(1, [1, 2, 3], [1]), named, Three, 2));
        Assert.Equal(new ReplicaId(2), ReplicaBalance.Leaving(Row(1, [1, 2, 3], [1, 3]), named, Three, 2));
    }

    [Fact]
    public void Leaving_NewReplicasSiloGone_ItIsTheOneRemoved()
    {
        Dictionary<int, int> named = new() { [1] = 12, [2] = 12 };

        Assert.Equal(new ReplicaId(3), ReplicaBalance.Leaving(Row(1, [1, 2, 3], [1, 2]), named, new HashSet<int> { 1, 2 }, 2));
    }

    [Fact]
    public void Leaving_RowAtTheFactor_None()
    {
        Dictionary<int, int> named = new() { [1] = 12, [2] = 12, [3] = 0 };

        Assert.Null(ReplicaBalance.Leaving(Row(1, [1, 2], [1, 2]), named, Three, 2));
    }

    private static ReplicaConfiguration Row(int leader, int[] replicas, int[] inSync) =>
        new(5, 2, new ReplicaId(leader), [.. replicas.Select(r => new ReplicaId(r))], [.. inSync.Select(r => new ReplicaId(r))]);

    private static Dictionary<int, ReplicaConfiguration> Rows(int count, Func<int, int> leader, Func<int, int[]> replicas) =>
        Enumerable.Range(0, count).ToDictionary(p => p, p => Row(leader(p), [.. replicas(p).Order()], [.. replicas(p).Order()]));

    private static Dictionary<int, int> Apply(Dictionary<int, ReplicaConfiguration> rows, IReadOnlyList<ReplicaBalance.Move> plan)
    {
        var sets = rows.ToDictionary(r => r.Key, r => r.Value.Replicas.Select(x => x.Value).ToHashSet());
        foreach (ReplicaBalance.Move move in plan)
        {
            Assert.True(sets[move.Partition].Remove(move.From), $"partition {move.Partition} has no replica {move.From}");
            Assert.True(sets[move.Partition].Add(move.To), $"partition {move.Partition} already has replica {move.To}");
        }

        return sets.Values.SelectMany(s => s).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
    }
}
