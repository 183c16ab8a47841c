using System.Globalization;
using Actors.Orleans;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Tests.Grains;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Replication;
using Actors.Replication.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>
/// Two in-process silos at replication factor 2 hold every partition; a third joins and the <see cref="ReplicaBalancer"/>
/// moves replicas to it. The silos a replica moved off stop it (<see cref="ReplicaRetirement"/>): no host, no messaging
/// registration, no directory left; every silo runs exactly the replicas the rows name, and every acknowledged write
/// reads back.
/// </summary>
public sealed class RetiredReplicaTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private const int Partitions = 6;
    private const int Factor = 2;
    private const int Workers = 3;
    private readonly TempDirectory _root = new();
    private readonly string _clusterId = "retire-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task ReplicaMovesOffASilo_UnderLoad_ThatSiloStopsItAndDeletesItsDirectoryAndEveryAcknowledgedWriteReadsBack()
    {
        await using TestCluster cluster = await ReplicatedTestCluster.StartAsync(
            _root.Path, postgres.ConnectionString, _clusterId, 2, Partitions, replicationFactor: Factor, balanceInterval: TimeSpan.FromMilliseconds(200));
        SiloHandle[] originals = [cluster.Primary!, cluster.SecondarySilos[0]];

        var keys = new List<int>();
        var covered = new HashSet<int>();
        for (int key = 0; covered.Count < Partitions || keys.Count < 2 * Partitions; key++)
        {
            covered.Add(GrainPartitions.GetPartition(Grain(cluster, key).GetGrainId(), Partitions));
            keys.Add(key);
        }

        var acknowledged = keys.ToDictionary(k => k, _ => new List<int>());
        foreach (int key in keys)
        {
            await Grain(cluster, key).Add(0);
            acknowledged[key].Add(0);
        }

        // Before the join both silos run every partition's replica, each in its own directory.
        foreach (SiloHandle silo in originals)
        {
            Assert.All(Enumerable.Range(0, Partitions), p => Assert.True(Directory.Exists(ReplicaDirectory(silo, p)), $"partition {p}: no replica directory on replica {ReplicatedTestCluster.ReplicaId(silo)}'s silo before the join"));
        }

        LedgerLoad load = LedgerLoad.Start(k => Grain(cluster, k), keys, acknowledged, Workers);
        SiloHandle joined = await cluster.StartAdditionalSiloAsync();
        SiloHandle[] silos = [.. originals, joined];
        int share = ReplicaBalance.Share(Partitions, Factor, silos.Length);
        Dictionary<int, ReplicaConfiguration> rows = [];
        await WaitForAsync(async () =>
        {
            rows = await RowsAsync(cluster);
            return rows.Values.All(row => row.Replicas.Length == Factor && row.InSync.SequenceEqual(row.Replicas))
                && silos.All(s => Named(rows, s).Count == share);
        }, $"every silo holding its share of {share} replicas, every row at factor {Factor} and in sync", () => Describe(rows));

        // Each original silo lost replicas: each stops them and deletes their directories.
        string state = "";
        await WaitForAsync(async () =>
        {
            rows = await RowsAsync(cluster);
            state = string.Join("; ", silos.Select(Describe));
            return silos.All(s => Stale(s, rows).Count == 0);
        }, "every silo running exactly the replicas the rows name, with no directory or messaging registration of the others", () => state);

        foreach (SiloHandle silo in originals)
        {
            var gone = Enumerable.Range(0, Partitions).Except(Named(rows, silo)).ToList();
            Assert.Equal(Partitions - share, gone.Count);
            Assert.All(gone, p =>
            {
                Assert.Null(ReplicatedTestCluster.Replicas(silo).Get(p));
                Assert.False(Messaging(silo).IsRegistered(p), $"partition {p}: still registered with the messaging of replica {ReplicatedTestCluster.ReplicaId(silo)}'s silo");
                Assert.False(Directory.Exists(ReplicaDirectory(silo, p)), $"partition {p}: {ReplicaDirectory(silo, p)} still exists");
            });
        }

        int written = Count(acknowledged);
        await WaitForAsync(() => Task.FromResult(Count(acknowledged) > written + keys.Count), "the load running after the retirements");
        await load.StopAsync();
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed: {string.Join("; ", load.Failures.Take(5))}");
        foreach (int key in keys)
        {
            Assert.Equal(acknowledged[key], await Grain(cluster, key).Entries());
        }
    }

    /// <summary>What <paramref name="silo"/> still runs, registers or keeps on disk of the partitions <paramref name="rows"/> do not name it in, and what it lacks of those they do.</summary>
    private static List<string> Stale(SiloHandle silo, Dictionary<int, ReplicaConfiguration> rows)
    {
        HashSet<int> named = Named(rows, silo);
        var stale = new List<string>();
        for (int partition = 0; partition < Partitions; partition++)
        {
            bool held = ReplicatedTestCluster.Replicas(silo).Get(partition) is not null;
            if (named.Contains(partition) != held)
            {
                stale.Add($"{partition}: {(held ? "runs an unnamed replica" : "does not run its replica")}");
            }

            if (!named.Contains(partition) && (Messaging(silo).IsRegistered(partition) || Directory.Exists(ReplicaDirectory(silo, partition))))
            {
                stale.Add($"{partition}: messaging registered or directory kept");
            }
        }

        return stale;
    }

    private static HashSet<int> Named(Dictionary<int, ReplicaConfiguration> rows, SiloHandle silo)
    {
        var id = new ReplicaId(ReplicatedTestCluster.ReplicaId(silo));
        return [.. rows.Where(r => r.Value.Replicas.Contains(id)).Select(r => r.Key)];
    }

    private static string ReplicaDirectory(SiloHandle silo, int partition) => Path.Combine(
        ReplicatedTestCluster.Services(silo).GetRequiredService<IOptions<SiloLogOptions>>().Value.Directory,
        SiloReplicas.ReplicasDirectoryName,
        partition.ToString("D5", CultureInfo.InvariantCulture));

    private static LoopbackReplicaMessaging Messaging(SiloHandle silo) =>
        (LoopbackReplicaMessaging)ReplicatedTestCluster.Services(silo).GetRequiredService<IReplicaMessaging>();

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

    private static string Describe(SiloHandle silo) =>
        $"replica {ReplicatedTestCluster.ReplicaId(silo)} runs [{string.Join(",", ReplicatedTestCluster.Replicas(silo).Held.Select(h => h.Partition).Order())}]";

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
