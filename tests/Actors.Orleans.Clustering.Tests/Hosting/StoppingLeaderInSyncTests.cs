using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Storage;
using Actors.Orleans.Clustering.Tests.Grains;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Replication;
using Actors.Replication.Configuration;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>
/// Two in-process silos at replication factor 2 (in-sync floor 1: a leader may remove its only follower): a leader whose
/// silo stops while its links close before its replicas stop must leave its follower in the partition's in-sync set, so
/// that the follower takes the partition over.
/// </summary>
public sealed class StoppingLeaderInSyncTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const int Partitions = 4;
    private const int Grains = 32;
    private readonly TempDirectory _root = new();
    private readonly string _clusterId = "sl-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task KillSilo_LeaderLinksCloseBeforeItsReplicasStop_FollowerStaysInSyncAndServesAcknowledgedWrites()
    {
        await using TestCluster cluster = await ReplicatedTestCluster.StartAsync(_root.Path, postgres.ConnectionString, _clusterId, 2, Partitions, replicationFactor: 2);
        SiloHandle secondary = cluster.SecondarySilos[0];
        string secondaryAddress = secondary.SiloAddress.ToParsableString();
        int leader = ReplicatedTestCluster.ReplicaId(secondary);
        var follower = new ReplicaId(ReplicatedTestCluster.ReplicaId(cluster.Primary!));

        // A grain whose partition the secondary leads (TestingHost's membership lives on the primary, so the secondary is
        // the one to kill); its write is acknowledged once durable on both replicas.
        int grain = -1;
        for (int i = 0; i < Grains && grain < 0; i++)
        {
            if (await Ledger(cluster, i).Add(i) == secondaryAddress)
            {
                grain = i;
            }
        }

        Assert.True(grain >= 0, $"none of {Grains} grains was placed on the secondary silo {secondaryAddress}");
        int partition = GrainPartitions.GetPartition(Ledger(cluster, grain).GetGrainId(), Partitions);
        await using var catalog = new ClusterCatalog(postgres.ConnectionString, _clusterId);
        ReplicaConfiguration row = await WaitForRowAsync(catalog, partition, r => r.InSync.Length == 2);
        Assert.True(row.InSync.Length == 2 && row.Leader.Value == leader, $"partition {partition}'s row before the kill: {row}");

        // The kill (TestingHost's in-process ungraceful stop): past the replicas' hand-over stage, the secondary's links
        // close while its replicas still run, and the stop goes on only once the row shows what the leader did meanwhile:
        // the follower elected itself (the leader kept it in sync), or the leader removed it from the in-sync set.
        SiloStopHook.Arm(_clusterId, leader, async () =>
        {
            LoopbackReplicaMessaging.Cut(_clusterId, (from, to, _) => from == leader || to == leader);
            await WaitForRowAsync(catalog, partition, r => r.Leader.Value != leader || !r.IsInSync(follower));
        });
        try
        {
            await cluster.KillSiloAsync(secondary);
        }
        finally
        {
            LoopbackReplicaMessaging.Cut(_clusterId, null);
        }

        row = await catalog.Partition(partition).ReadAsync();
        Assert.True(row.IsInSync(follower), $"the stopping leader removed its follower from partition {partition}'s in-sync set: {row}");
        Assert.Equal(follower, row.Leader);

        // The follower serves the partition, with the acknowledged write: the grain is read until it answers (Orleans's
        // directory stops naming the killed silo).
        DateTime deadline = DateTime.UtcNow + ReplicatedClusterWaits.Patience;
        while (true)
        {
            try
            {
                Assert.Equal([grain], await Ledger(cluster, grain).Entries());
                break;
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.True(DateTime.UtcNow < deadline, $"grain {grain} not read within {ReplicatedClusterWaits.Patience} of its leader's kill: {ex}");
                await Task.Delay(20);
            }
        }

        // Checked: killed, not stopped gracefully by the disposal (see ReplicatedTestCluster.KillAllAsync).
        await ReplicatedTestCluster.KillAllAsync(cluster);
    }

    /// <summary>Reads partition <paramref name="partition"/>'s row until <paramref name="condition"/> holds or the patience ran out; returns the last read.</summary>
    private static async Task<ReplicaConfiguration> WaitForRowAsync(ClusterCatalog catalog, int partition, Func<ReplicaConfiguration, bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + ReplicatedClusterWaits.Patience;
        while (true)
        {
            ReplicaConfiguration row = await catalog.Partition(partition).ReadAsync();
            if (condition(row) || DateTime.UtcNow >= deadline)
            {
                return row;
            }

            await Task.Delay(20);
        }
    }

    private static ILedgerGrain Ledger(TestCluster cluster, int i) => cluster.GrainFactory.GetGrain<ILedgerGrain>(i, grainClassNamePrefix: typeof(LedgerGrain).FullName!);

    public void Dispose() => _root.Dispose();
}
