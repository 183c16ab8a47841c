using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Tests.Grains;
using Actors.Orleans.Clustering.Tests.Support;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>Three in-process silos at replication factor 3: a leader stopped gracefully under load hands its partitions over.</summary>
public sealed class GracefulHandOverTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const int Partitions = 8;
    private const int Grains = 12;
    private const int Workers = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string[] Classes = [typeof(LedgerGrain).FullName!, typeof(PlainLedgerGrain).FullName!, typeof(JournalLedgerGrain).FullName!];
    private readonly TempDirectory _root = new();
    private readonly string _clusterId = "ho-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task StopSilo_LeaderUnderLoad_OnlyOrleansStoppingRejectionsRetriedAndEveryAcknowledgedWriteIsRead()
    {
        await using TestCluster cluster = await ReplicatedTestCluster.StartAsync(_root.Path, postgres.ConnectionString, _clusterId, 3, Partitions, replicationFactor: 3);
        var acknowledged = Enumerable.Range(0, Grains).Select(_ => new List<int>()).ToArray();
        var servedBy = new string[Grains];
        for (int i = 0; i < Grains; i++)
        {
            servedBy[i] = await Grain(cluster, i).Add(0);
            acknowledged[i].Add(0);
        }

        int[] used = [.. Enumerable.Range(0, Grains).Select(i => GrainPartitions.GetPartition(Grain(cluster, i).GetGrainId(), Partitions)).Distinct()];
        await WaitForAsync(() => used.All(p => InSyncEverywhere(cluster.Silos, p)), "every written partition in sync on its three replicas");
        SiloHandle stopped = cluster.SecondarySilos.First(s => servedBy.Contains(s.SiloAddress.ToParsableString()));
        string stoppedAddress = stopped.SiloAddress.ToParsableString();
        int[] led = [.. Enumerable.Range(0, Grains).Where(i => servedBy[i] == stoppedAddress)];

        // Load: each worker writes its own grains in turn (one call at a time per grain). The one retry is of Orleans's own
        // transient rejection of a request that reached the stopping silo after it blocked application messages
        // ("Silo stopping", MessageCenter: the request is refused unprocessed, with a cache invalidation): a client that
        // retries transient rejections sees no failure; the retries are counted and printed. Any other failure counts.
        int stoppingRejections = 0;
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        int afterStop = 0;
        Task[] load = [.. Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            int round = 1;
            while (!stop.IsCancellationRequested)
            {
                for (int i = w; i < Grains; i += Workers)
                {
                    try
                    {
                        string silo;
                        while (true)
                        {
                            try
                            {
                                silo = await Grain(cluster, i).Add(round);
                                break;
                            }
                            catch (OrleansMessageRejectionException rejection) when (rejection.Message.Contains("Silo stopping", StringComparison.Ordinal))
                            {
                                Interlocked.Increment(ref stoppingRejections);
                            }
                        }

                        acknowledged[i].Add(round);
                        if (Volatile.Read(ref afterStop) == 1 && silo == stoppedAddress)
                        {
                            lock (failures)
                            {
                                failures.Add($"grain {i} served by the stopped silo after its stop");
                            }
                        }
                    }
                    catch (Exception ex)
                    {
                        lock (failures)
                        {
                            failures.Add($"grain {i} add {round}: {ex.GetType().Name}: {ex.Message}");
                        }
                    }
                }

                round++;
            }
        }))];

        await WaitForAsync(() => acknowledged.Sum(a => a.Count) > Grains * 5, "the load running");
        await cluster.StopSiloAsync(stopped);
        Volatile.Write(ref afterStop, 1);
        int countAtStop = acknowledged.Sum(a => a.Count);
        await WaitForAsync(() => acknowledged.Sum(a => a.Count) > countAtStop + Grains * 5, "the load running on the other silos");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Console.WriteLine($"GracefulHandOverTests: {stoppingRejections} requests rejected by Orleans as 'Silo stopping' and retried");
        Assert.NotEmpty(led);
        Assert.True(failures.Count == 0, $"{failures.Count} calls failed during the graceful stop: {string.Join("; ", failures.Take(5))}");
        for (int i = 0; i < Grains; i++)
        {
            Assert.Equal(acknowledged[i], await Grain(cluster, i).Entries());
        }

        // Checked: killed, not stopped gracefully by the disposal (see ReplicatedTestCluster.KillAllAsync).
        await ReplicatedTestCluster.KillAllAsync(cluster);
    }

    private static bool InSyncEverywhere(IEnumerable<SiloHandle> silos, int partition)
    {
        HeldReplica?[] replicas = [.. silos.Select(s => ReplicatedTestCluster.Replicas(s).Get(partition))];
        HeldReplica? leader = replicas.FirstOrDefault(r => r is not null && r.Host.Status.IsLeader);
        return replicas.All(r => r is not null) && leader is not null && leader.Host.Status.CommittedLsn > 0
            && replicas.All(r => r!.Host.Status.DurableLsn >= leader.Host.Status.CommittedLsn);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private static ILedgerGrain Grain(TestCluster cluster, int i) => cluster.GrainFactory.GetGrain<ILedgerGrain>(i, grainClassNamePrefix: Classes[i % 3]);

    public void Dispose() => _root.Dispose();
}
