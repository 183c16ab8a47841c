using System.Diagnostics;
using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Replication;
using Actors.Replication.Configuration;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>
/// Two in-process silos at replication factor 2 hold every partition; a third joins and takes its share of replicas
/// (<see cref="ReplicaBalancer"/>: each move adds its replica, which catches up, then removes an old one) and then of
/// leaderships, each partition changing leader once at most, under load with no failed call; every acknowledged write reads
/// back, also once an original silo stops.
/// </summary>
public sealed class JoiningSiloTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const int Partitions = 12;
    private const int Factor = 2;
    private const int Workers = 4;
    private readonly TempDirectory _root = new();
    private readonly string _clusterId = "join-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task SiloJoins_TwoSilosHoldEveryPartition_ItTakesItsShareOfReplicasUnderLoadAndEveryAcknowledgedWriteSurvivesAnOriginalSiloStopping()
    {
        await using TestCluster cluster = await ReplicatedTestCluster.StartAsync(
            _root.Path, postgres.ConnectionString, _clusterId, 2, Partitions, replicationFactor: Factor, balanceInterval: TimeSpan.FromMilliseconds(200));
        SiloHandle original = cluster.SecondarySilos[0];

        // Every partition gets a row (on both silos) and each grain one acknowledged write.
        LedgerKeys ledgers = LedgerKeys.Covering(cluster, Partitions);
        await ledgers.AddToEveryAsync(0, "before the join");
        Dictionary<int, ReplicaConfiguration> before = await ReplicaRows.ReadAsync(cluster.Primary!);
        Assert.Equal(Partitions, before.Count);
        Assert.All(before.Values, row => Assert.Equal(Factor, row.Replicas.Length));

        // Load on every grain, one call at a time per grain, never retried: a failed call fails the test.
        LedgerLoad load = ledgers.StartLoad(Workers);

        SiloHandle joined = await cluster.StartAdditionalSiloAsync();
        int joinedId = ReplicatedTestCluster.ReplicaId(joined);
        SiloHandle[] silos = [cluster.Primary!, original, joined];
        int share = ReplicaBalance.Share(Partitions, Factor, silos.Length);
        var moving = Stopwatch.StartNew();
        Dictionary<int, ReplicaConfiguration> after = [];
        await ReplicaRows.WaitForAsync(async () =>
        {
            after = await ReplicaRows.ReadAsync(cluster.Primary!);
            return ReplicaRows.AllInSync(after, Factor) && silos.All(s => ReplicaRows.Named(after, s).Count == share);
        }, $"every silo holding its share of {share} replicas, every row at factor {Factor} and in sync", () => ReplicaRows.Describe(after));
        moving.Stop();

        // Leaderships follow (the rebalance the moves made due): 4 of the 12 partitions led by each silo.
        await ReplicaRows.WaitForAsync(async () =>
        {
            after = await ReplicaRows.ReadAsync(cluster.Primary!);
            return silos.All(s => after.Values.Count(row => row.Leader.Value == ReplicatedTestCluster.ReplicaId(s)) == Partitions / silos.Length);
        }, $"every silo leading {Partitions / silos.Length} partitions", () => ReplicaRows.Describe(after));
        int writtenAtSpread = ledgers.Count;
        await ReplicaRows.WaitForAsync(() => Task.FromResult(ledgers.Count > writtenAtSpread + ledgers.Keys.Count), "the load running after the moves");
        await load.StopAsync();
        Console.WriteLine($"JoiningSiloTests: replicas spread {moving.Elapsed.TotalSeconds:F1} s after the join; {ledgers.Count} writes acknowledged; rows {ReplicaRows.Describe(await ReplicaRows.ReadAsync(cluster.Primary!))}");

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed during the moves: {string.Join("; ", load.Failures.Take(5))}");
        Dictionary<int, ReplicaConfiguration> final = await ReplicaRows.ReadAsync(cluster.Primary!);
        Assert.All(before.Keys, p => Assert.True(
            final[p].Epoch <= before[p].Epoch + 1,
            $"partition {p}: epoch {before[p].Epoch} → {final[p].Epoch}, leader {before[p].Leader} → {final[p].Leader} (one leader change per partition at most)"));
        Assert.True(before.Values.All(row => !row.Replicas.Contains(new ReplicaId(joinedId))), "the joined silo held a replica before it joined");
        await ledgers.AssertEveryAcknowledgedWriteReadsBackAsync("after the moves");

        // An original silo stops: every partition it held has another in-sync replica (on the primary or the joined silo).
        int originalId = ReplicatedTestCluster.ReplicaId(original);
        await cluster.StopSiloAsync(original);
        await ledgers.AssertEveryAcknowledgedWriteReadsBackAsync($"after replica {originalId}'s silo stopped");

        // Checked: killed, not stopped gracefully by the disposal (see ReplicatedTestCluster.KillAllAsync).
        await ReplicatedTestCluster.KillAllAsync(cluster);
    }

    public void Dispose() => _root.Dispose();
}
