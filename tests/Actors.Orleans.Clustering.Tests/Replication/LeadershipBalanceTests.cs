using Actors.Orleans.Clustering.Replication;
using Actors.Replication;
using Actors.Replication.Configuration;

namespace Actors.Orleans.Clustering.Tests.Replication;

/// <summary>The deterministic leadership plan: even spread, one move per partition, only to in-sync active replicas.</summary>
public sealed class LeadershipBalanceTests
{
    [Fact]
    public void Plan_ReturnedReplicaLeadsNothing_GetsItsShareFromTheOthersEachPartitionMovedOnce()
    {
        // 64 partitions at factor 3 on replicas 1-3, all in sync; replica 3 returned and leads nothing.
        Dictionary<int, ReplicaConfiguration> rows = Rows(64, p => p % 2 == 0 ? 1 : 2, _ => [1, 2, 3]);

        IReadOnlyList<LeadershipBalance.Move> plan = LeadershipBalance.Plan(rows, new HashSet<int> { 1, 2, 3 });

        Dictionary<int, int> led = Apply(rows, plan);
        Assert.All(plan, m => Assert.Equal(3, m.To));
        Assert.Equal(plan.Count, plan.Select(m => m.Partition).Distinct().Count());
        Assert.InRange(plan.Count, 21, 22);
        Assert.True(led.Values.Max() - led.Values.Min() <= 1, $"spread {string.Join(",", led)}");
    }

    [Fact]
    public void Plan_SameInput_SamePlanWhateverTheOrderOfTheRows()
    {
        Dictionary<int, ReplicaConfiguration> rows = Rows(40, p => p % 5 == 0 ? 2 : 1, p => [1, 2, 3]);
        var shuffled = rows.OrderBy(r => (r.Key * 7919) % 41).ToDictionary(r => r.Key, r => r.Value);

        IReadOnlyList<LeadershipBalance.Move> first = LeadershipBalance.Plan(rows, new HashSet<int> { 3, 1, 2 });
        IReadOnlyList<LeadershipBalance.Move> second = LeadershipBalance.Plan(shuffled, new HashSet<int> { 1, 2, 3 });

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Plan_TargetNotInSyncOrNotActive_NeverChosen()
    {
        // Replica 3 is out of sync in the even partitions; replica 4 is in sync everywhere but not active.
        Dictionary<int, ReplicaConfiguration> rows = Rows(12, _ => 1, p => p % 2 == 0 ? [1, 2, 4] : [1, 2, 3, 4], replicas: [1, 2, 3, 4]);

        IReadOnlyList<LeadershipBalance.Move> plan = LeadershipBalance.Plan(rows, new HashSet<int> { 1, 2, 3 });

        Assert.All(plan, m => Assert.True(rows[m.Partition].IsInSync(new ReplicaId(m.To)), $"partition {m.Partition} moved to {m.To}, not in sync"));
        Assert.DoesNotContain(plan, m => m.To == 4);
        Dictionary<int, int> led = Apply(rows, plan);
        Assert.Equal([4, 4, 4], new[] { led[1], led[2], led[3] });
    }

    [Fact]
    public void Plan_AlreadyWithinOne_NoMove()
    {
        Dictionary<int, ReplicaConfiguration> rows = Rows(8, p => 1 + (p % 3), _ => [1, 2, 3]);

        Assert.Empty(LeadershipBalance.Plan(rows, new HashSet<int> { 1, 2, 3 }));
    }

    [Fact]
    public void Plan_LeaderInactive_PartitionLeftToTheFailover()
    {
        // Replica 3 leads half the partitions but is not active: its partitions are not moved or counted.
        Dictionary<int, ReplicaConfiguration> rows = Rows(10, p => p < 5 ? 3 : 1, _ => [1, 2, 3]);

        IReadOnlyList<LeadershipBalance.Move> plan = LeadershipBalance.Plan(rows, new HashSet<int> { 1, 2 });

        Assert.All(plan, m => Assert.Equal(1, m.From));
        Assert.Equal(2, plan.Count);
    }

    private static Dictionary<int, ReplicaConfiguration> Rows(int count, Func<int, int> leader, Func<int, int[]> inSync, int[]? replicas = null) =>
        Enumerable.Range(0, count).ToDictionary(p => p, p => new ReplicaConfiguration(
            5, 2, new ReplicaId(leader(p)), [.. (replicas ?? [1, 2, 3]).Select(r => new ReplicaId(r))], [.. inSync(p).Select(r => new ReplicaId(r))]));

    private static Dictionary<int, int> Apply(Dictionary<int, ReplicaConfiguration> rows, IReadOnlyList<LeadershipBalance.Move> plan)
    {
        var leaders = rows.ToDictionary(r => r.Key, r => r.Value.Leader.Value);
        foreach (LeadershipBalance.Move move in plan)
        {
            Assert.Equal(move.From, leaders[move.Partition]);
            leaders[move.Partition] = move.To;
        }

        return leaders.Values.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
    }
}
