using System.Collections.Concurrent;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Storage;
using Actors.Orleans.Clustering.Tests.Grains;
using Actors.Orleans.Clustering.Tests.Support;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>Several Orleans silos (TestingHost, in-process) with AddWriteAheadLogReplication and a PostgreSQL the test starts.</summary>
public sealed class ReplicatedClusterTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const int Partitions = 16;
    private const int Grains = 120;
    private static readonly string[] Classes = [typeof(LedgerGrain).FullName!, typeof(PlainLedgerGrain).FullName!];
    private readonly TempDirectory _root = new();
    private readonly string _clusterId = "c-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Writes_ThreeSilos_EachOnItsPartitionLeaderAndAllReadBackAfterRestart()
    {
        var storedOn = new ConcurrentDictionary<(int, long), string>();
        int serving;
        await using (TestCluster cluster = await ReplicatedTestCluster.StartAsync(_root.Path, postgres.ConnectionString, _clusterId, 3, Partitions))
        {
            await Task.WhenAll(Enumerable.Range(0, Grains).Select(async i =>
            {
                ILedgerGrain grain = Grain(cluster, i);
                string first = await grain.Add(i);
                string second = await grain.Add(i + 1000);
                Assert.Equal(first, second);
                storedOn[(i % 2, i)] = first;
            }));

            // Every grain was stored by the silo its partition's row names as leader.
            await using var catalog = new ClusterCatalog(postgres.ConnectionString, _clusterId);
            Dictionary<int, PartitionRow> rows = await catalog.ReadPartitionsAsync(CancellationToken.None);
            Dictionary<int, string> replicas = await catalog.ReadReplicasAsync(CancellationToken.None);
            for (int i = 0; i < Grains; i++)
            {
                GrainId grainId = Grain(cluster, i).GetGrainId();
                int partition = GrainPartitions.GetPartition(grainId, Partitions);
                Assert.True(rows.TryGetValue(partition, out PartitionRow row), $"grain {grainId}: partition {partition} has no row");
                Assert.True(replicas[row.Leader] == storedOn[(i % 2, i)], $"grain {grainId} (partition {partition}) was stored on {storedOn[(i % 2, i)]}, its leader is replica {row.Leader} at {replicas[row.Leader]}");
            }

            Assert.True(storedOn.Values.Distinct().Count() >= 2, $"the grains' partitions should spread over the silos; all were on {string.Join(", ", storedOn.Values.Distinct())}");
            Assert.All(cluster.Silos, silo => Assert.True(
                ReplicatedTestCluster.Resolver(silo).Held.Keys.All(p => replicas[rows[p].Leader] == silo.SiloAddress.ToParsableString()),
                $"silo {silo.SiloAddress} holds a partition it does not lead"));

            // Replication factor 1: a stopped silo's partitions wait for it (a typed, retryable refusal), the others serve.
            SiloHandle stopped = cluster.SecondarySilos.First(silo => storedOn.Values.Contains(silo.SiloAddress.ToParsableString()));
            string stoppedAddress = stopped.SiloAddress.ToParsableString();
            int waiting = Enumerable.Range(0, Grains).First(i => storedOn[(i % 2, i)] == stoppedAddress);
            serving = Enumerable.Range(0, Grains).First(i => storedOn[(i % 2, i)] != stoppedAddress);
            await cluster.StopSiloAsync(stopped);
            var refused = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(() => Grain(cluster, waiting).Add(-1));
            Assert.Contains("not an active silo", refused.Message, StringComparison.Ordinal);
            await Grain(cluster, serving).Add(-2);
            await cluster.StopAllSilosAsync();
        }

        // A new cluster process on the same directories and rows reads every acknowledged write back.
        await using TestCluster restarted = await ReplicatedTestCluster.StartAsync(_root.Path, postgres.ConnectionString, _clusterId, 3, Partitions);
        await Task.WhenAll(Enumerable.Range(0, Grains).Select(async i =>
        {
            List<int> entries = await Grain(restarted, i).Entries();
            Assert.Equal(i == serving ? [i, i + 1000, -2] : [i, i + 1000], entries);
        }));
    }

    /// <summary>Grain <paramref name="i"/>: even ones are [WriteAheadLog] grains, odd ones name no placement.</summary>
    private static ILedgerGrain Grain(TestCluster cluster, int i) => cluster.GrainFactory.GetGrain<ILedgerGrain>(i, grainClassNamePrefix: Classes[i % 2]);

    public void Dispose() => _root.Dispose();
}
