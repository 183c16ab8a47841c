using System.Diagnostics;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Tests.Grains;
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
public sealed class JoiningSiloTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
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
        var keys = new List<int>();
        var covered = new HashSet<int>();
        for (int key = 0; covered.Count < Partitions || keys.Count < 2 * Partitions; key++)
        {
            if (covered.Add(GrainPartitions.GetPartition(Grain(cluster, key).GetGrainId(), Partitions)) || keys.Count < 2 * Partitions)
            {
                keys.Add(key);
            }
        }

        var acknowledged = keys.ToDictionary(k => k, _ => new List<int>());
        foreach (int key in keys)
        {
            await Grain(cluster, key).Add(0);
            acknowledged[key].Add(0);
        }

        Dictionary<int, ReplicaConfiguration> before = await RowsAsync(cluster);
        Assert.Equal(Partitions, before.Count);
        Assert.All(before.Values, row => Assert.Equal(Factor, row.Replicas.Length));

        // Load on every grain, one call at a time per grain, never retried: a failed call fails the test.
        LedgerLoad load = LedgerLoad.Start(k => Grain(cluster, k), keys, acknowledged, Workers);

        SiloHandle joined = await cluster.StartAdditionalSiloAsync();
        int joinedId = ReplicatedTestCluster.ReplicaId(joined);
        int[] silos = [ReplicatedTestCluster.ReplicaId(cluster.Primary!), ReplicatedTestCluster.ReplicaId(original), joinedId];
        int share = ReplicaBalance.Share(Partitions, Factor, silos.Length);
        var moving = Stopwatch.StartNew();
        Dictionary<int, ReplicaConfiguration> after = [];
        await WaitForAsync(async () =>
        {
            after = await RowsAsync(cluster);
            return after.Values.All(row => row.Replicas.Length == Factor && row.InSync.SequenceEqual(row.Replicas))
                && silos.All(s => Named(after, s) == share);
        }, $"every silo holding its share of {share} replicas, every row at factor {Factor} and in sync", () => Describe(after));
        moving.Stop();

        // Leaderships follow (the rebalance the moves made due): 4 of the 12 partitions led by each silo.
        await WaitForAsync(async () =>
        {
            after = await RowsAsync(cluster);
            return silos.All(s => after.Values.Count(row => row.Leader.Value == s) == Partitions / silos.Length);
        }, $"every silo leading {Partitions / silos.Length} partitions", () => Describe(after));
        int writtenAtSpread = Count(acknowledged);
        await WaitForAsync(() => Task.FromResult(Count(acknowledged) > writtenAtSpread + keys.Count), "the load running after the moves");
        await load.StopAsync();
        Console.WriteLine($"JoiningSiloTests: replicas spread {moving.Elapsed.TotalSeconds:F1} s after the join; {Count(acknowledged)} writes acknowledged; rows {Describe(await RowsAsync(cluster))}");

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed during the moves: {string.Join("; ", load.Failures.Take(5))}");
        Dictionary<int, ReplicaConfiguration> final = await RowsAsync(cluster);
        Assert.All(before.Keys, p => Assert.True(
            final[p].Epoch <= before[p].Epoch + 1,
            $"partition {p}: epoch {before[p].Epoch} → {final[p].Epoch}, leader {before[p].Leader} → {final[p].Leader} (one leader change per partition at most)"));
        Assert.True(before.Values.All(row => !row.Replicas.Contains(new ReplicaId(joinedId))), "the joined silo held a replica before it joined");
        foreach (int key in keys)
        {
            Assert.Equal(acknowledged[key], await Grain(cluster, key).Entries());
        }

        // An original silo stops: every partition it held has another in-sync replica (on the primary or the joined silo).
        await cluster.StopSiloAsync(original);
        foreach (int key in keys)
        {
            List<int> entries = await ReplicatedClusterWaits.RetryAsync(() => Grain(cluster, key).Entries(), $"grain {key} read after replica {silos[1]}'s silo stopped");
            Assert.Equal(acknowledged[key], entries);
        }
    }

    private static int Named(Dictionary<int, ReplicaConfiguration> rows, int replica) =>
        rows.Values.Count(row => row.Replicas.Contains(new ReplicaId(replica)));

    private static int Count(Dictionary<int, List<int>> acknowledged)
    {
        lock (acknowledged)
        {
            return acknowledged.Values.Sum(a => a.Count);
        }
    }

    private static async Task<Dictionary<int, ReplicaConfiguration>> RowsAsync(TestCluster cluster) =>
        await ReplicatedTestCluster.Replicas(cluster.Primary!).Reads.ReadAsync();

    private static string Describe(Dictionary<int, ReplicaConfiguration> rows) =>
        string.Join("; ", rows.OrderBy(r => r.Key).Select(r => $"{r.Key}: {r.Value}"));

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, Func<string>? state = null)
    {
        DateTime deadline = DateTime.UtcNow + ReplicatedClusterWaits.Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {ReplicatedClusterWaits.Patience.TotalSeconds} s waiting for {what}{(state is null ? "" : "; " + state())}");
            await Task.Delay(50);
        }
    }

    private static ILedgerGrain Grain(TestCluster cluster, int key) => cluster.GrainFactory.GetGrain<ILedgerGrain>(key, grainClassNamePrefix: typeof(LedgerGrain).FullName!);

    public void Dispose() => _root.Dispose();
}
