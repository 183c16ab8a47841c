using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Replication.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>
/// Two in-process silos at replication factor 2 hold every partition; a third joins and the <see cref="ReplicaBalancer"/>
/// moves replicas to it. The silos a replica moved off stop it (<see cref="ReplicaRetirement"/>): no host, no messaging
/// registration, no directory left; every silo runs exactly the replicas the rows name, and every acknowledged write
/// reads back.
/// </summary>
public sealed class RetiredReplicaTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
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
        LedgerKeys ledgers = LedgerKeys.Covering(cluster, Partitions);
        await ledgers.AddToEveryAsync(0, "before the join");

        // Before the join both silos run every partition's replica, each in its own directory.
        foreach (SiloHandle silo in originals)
        {
            Assert.All(Enumerable.Range(0, Partitions), p => Assert.True(Directory.Exists(ReplicaDirectory(silo, p)), $"partition {p}: no replica directory on replica {ReplicatedTestCluster.ReplicaId(silo)}'s silo before the join"));
        }

        LedgerLoad load = ledgers.StartLoad(Workers);
        SiloHandle joined = await cluster.StartAdditionalSiloAsync();
        SiloHandle[] silos = [.. originals, joined];
        int share = ReplicaBalance.Share(Partitions, Factor, silos.Length);
        Dictionary<int, ReplicaConfiguration> rows = [];
        await ReplicaRows.WaitForAsync(async () =>
        {
            rows = await ReplicaRows.ReadAsync(cluster.Primary!);
            return ReplicaRows.AllInSync(rows, Factor) && silos.All(s => ReplicaRows.Named(rows, s).Count == share);
        }, $"every silo holding its share of {share} replicas, every row at factor {Factor} and in sync", () => ReplicaRows.Describe(rows));

        // Each original silo lost replicas: each stops them and deletes their directories.
        string state = "";
        await ReplicaRows.WaitForAsync(async () =>
        {
            rows = await ReplicaRows.ReadAsync(cluster.Primary!);
            state = string.Join("; ", silos.Select(Describe));
            return silos.All(s => Stale(s, rows).Count == 0);
        }, "every silo running exactly the replicas the rows name, with no directory or messaging registration of the others", () => state);

        foreach (SiloHandle silo in originals)
        {
            var gone = Enumerable.Range(0, Partitions).Except(ReplicaRows.Named(rows, silo)).ToList();
            Assert.Equal(Partitions - share, gone.Count);
            Assert.All(gone, p =>
            {
                Assert.Null(ReplicatedTestCluster.Replicas(silo).Get(p));
                Assert.False(Messaging(silo).IsRegistered(p), $"partition {p}: still registered with the messaging of replica {ReplicatedTestCluster.ReplicaId(silo)}'s silo");
                Assert.False(Directory.Exists(ReplicaDirectory(silo, p)), $"partition {p}: {ReplicaDirectory(silo, p)} still exists");
            });
        }

        int written = ledgers.Count;
        await ReplicaRows.WaitForAsync(() => Task.FromResult(ledgers.Count > written + ledgers.Keys.Count), "the load running after the retirements");
        await load.StopAsync();
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed: {string.Join("; ", load.Failures.Take(5))}");
        await ledgers.AssertEveryAcknowledgedWriteReadsBackAsync("after the retirements");

        // Checked: killed, not stopped gracefully by the disposal (see ReplicatedTestCluster.KillAllAsync).
        await ReplicatedTestCluster.KillAllAsync(cluster);
    }

    /// <summary>What <paramref name="silo"/> still runs, registers or keeps on disk of the partitions <paramref name="rows"/> do not name it in, and what it lacks of those they do.</summary>
    private static List<string> Stale(SiloHandle silo, Dictionary<int, ReplicaConfiguration> rows)
    {
        HashSet<int> named = ReplicaRows.Named(rows, silo);
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

    private static string ReplicaDirectory(SiloHandle silo, int partition) => ReplicaRows.ReplicaDirectory(ReplicaRows.LogDirectory(silo), partition);

    private static LoopbackReplicaMessaging Messaging(SiloHandle silo) =>
        (LoopbackReplicaMessaging)ReplicatedTestCluster.Services(silo).GetRequiredService<IReplicaMessaging>();

    private static string Describe(SiloHandle silo) =>
        $"replica {ReplicatedTestCluster.ReplicaId(silo)} runs [{string.Join(",", ReplicatedTestCluster.Replicas(silo).Held.Select(h => h.Partition).Order())}]";

    public void Dispose() => _root.Dispose();
}
