using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Tests.Grains;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Replication;
using Actors.Replication.Configuration;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>
/// Three in-process silos at replication factor 2: once a silo is gone for <see cref="ReplicaReplacementOptions.AbsentFor"/>,
/// each partition's leader replaces that silo's replica by one on the third silo, which catches up and enters the in-sync
/// set; the partition then survives the loss of its other original replica.
/// </summary>
public sealed class ReplicaReplacementTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const int Partitions = 16;
    private const int Grains = 48;
    private static readonly string[] Classes = [typeof(LedgerGrain).FullName!, typeof(PlainLedgerGrain).FullName!, typeof(JournalLedgerGrain).FullName!];
    private readonly TempDirectory _root = new();
    private readonly string _clusterId = "rr-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task SiloGone_ItsReplicasReplacedOnTheThirdSilo_WhichServesEveryAcknowledgedWriteOnceTheOtherReplicaStops()
    {
        await using TestCluster cluster = await ReplicatedTestCluster.StartAsync(
            _root.Path, postgres.ConnectionString, _clusterId, 3, Partitions, replicationFactor: 2, replaceAbsentAfter: TimeSpan.FromSeconds(1));
        SiloHandle primary = cluster.Primary!;
        SiloHandle gone = cluster.SecondarySilos[0];
        SiloHandle other = cluster.SecondarySilos[1];
        for (int i = 0; i < Grains; i++)
        {
            await Grain(cluster, i).Add(1);
        }

        int goneId = ReplicatedTestCluster.ReplicaId(gone);
        int primaryId = ReplicatedTestCluster.ReplicaId(primary);
        Dictionary<int, ReplicaConfiguration> before = await RowsAsync(primary);
        Assert.Contains(before.Values, row => row.Replicas.Contains(new ReplicaId(goneId)));

        // Partitions the primary silo did not hold and the gone silo did: after the replacement the primary holds them, and
        // once the third silo stops they are served from the primary's new replica alone.
        int[] gained = [.. before.Where(r => r.Value.Replicas.Contains(new ReplicaId(goneId)) && !r.Value.Replicas.Contains(new ReplicaId(primaryId))).Select(r => r.Key)];

        await cluster.StopSiloAsync(gone);
        for (int i = 0; i < Grains; i++)
        {
            await ReplicatedClusterWaits.RetryAsync(() => Grain(cluster, i).Add(2), $"grain {i} add 2 after the stop");
        }

        Dictionary<int, ReplicaConfiguration> after = await WaitForRowsAsync(
            primary,
            rows => rows.Count == before.Count && rows.Values.All(row => !row.Replicas.Contains(new ReplicaId(goneId)) && row.Replicas.Length == 2 && row.InSync.SequenceEqual(row.Replicas)),
            $"every partition's replica {goneId} replaced and the new replica in sync");
        Assert.All(after.Values, row => Assert.Equal([primaryId, ReplicatedTestCluster.ReplicaId(other)], row.Replicas.Select(r => r.Value).Order()));

        await cluster.StopSiloAsync(other);
        for (int i = 0; i < Grains; i++)
        {
            List<int> entries = await ReplicatedClusterWaits.RetryAsync(() => Grain(cluster, i).Entries(), $"grain {i} read from the last silo");
            Assert.Equal([1, 2], entries);
        }

        Assert.True(gained.Length > 0, $"no partition was held by both secondary silos (rows {string.Join("; ", before.Values)}): the test did not exercise a copy to a new replica");
        Console.WriteLine($"ReplicaReplacementTests: partitions copied to the primary's new replicas: {string.Join(",", gained)}");

        // Checked: killed, not stopped gracefully by the disposal (see ReplicatedTestCluster.KillAllAsync).
        await ReplicatedTestCluster.KillAllAsync(cluster);
    }

    private static async Task<Dictionary<int, ReplicaConfiguration>> RowsAsync(SiloHandle silo) =>
        await ReplicatedTestCluster.Replicas(silo).Reads.ReadAsync();

    private static async Task<Dictionary<int, ReplicaConfiguration>> WaitForRowsAsync(SiloHandle silo, Func<Dictionary<int, ReplicaConfiguration>, bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + ReplicatedClusterWaits.Patience;
        while (true)
        {
            Dictionary<int, ReplicaConfiguration> rows = await RowsAsync(silo);
            if (condition(rows))
            {
                return rows;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}: {string.Join("; ", rows.OrderBy(r => r.Key).Select(r => $"{r.Key}: {r.Value}"))}");
            await Task.Delay(50);
        }
    }

    private static ILedgerGrain Grain(TestCluster cluster, int i) => cluster.GrainFactory.GetGrain<ILedgerGrain>(i, grainClassNamePrefix: Classes[i % 3]);

    public void Dispose() => _root.Dispose();
}
