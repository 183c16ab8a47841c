using System.Diagnostics;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Tests.Grains;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Replication.Configuration;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>
/// Three in-process silos at replication factor 3: a silo that stopped (its leaderships handed to the others) or was killed
/// (the others elected new leaders) and came back
/// gets its share of leaderships again, under load, each moved partition changing leader once, nothing acknowledged lost.
/// </summary>
public sealed class LeadershipRebalanceTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const int Partitions = 9;
    private const int Workers = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _root = new();
    private readonly string _clusterId = "rb-" + Guid.NewGuid().ToString("N");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RestartSilo_AfterItsLeadershipsMovedAway_LeadershipsSpreadAgainOnceEachAndEveryAcknowledgedWriteIsRead(bool kill)
    {
        await using TestCluster cluster = await ReplicatedTestCluster.StartAsync(_root.Path, postgres.ConnectionString, _clusterId, 3, Partitions, replicationFactor: 3);

        // One grain per partition at least, each written once.
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
        await Task.WhenAll(keys.Select(async k =>
        {
            await Grain(cluster, k).Add(0);
            lock (acknowledged)
            {
                acknowledged[k].Add(0);
            }
        }));
        await WaitForAsync(() => Task.FromResult(Enumerable.Range(0, Partitions).All(p => InSyncEverywhere(cluster.Silos, p))), "every partition in sync on its three replicas");

        // The secondary leading most partitions stops gracefully (its leaderships handed to the others) or is killed (the
        // others elect new leaders).
        Dictionary<int, ReplicaConfiguration> rows = await RowsAsync(cluster);
        SiloHandle leaving = cluster.SecondarySilos.OrderByDescending(s => rows.Values.Count(r => r.Leader.Value == ReplicatedTestCluster.ReplicaId(s))).First();
        int leavingId = ReplicatedTestCluster.ReplicaId(leaving);
        int instance = leaving.InstanceNumber;
        if (kill)
        {
            await cluster.KillSiloAsync(leaving);
        }
        else
        {
            await cluster.StopSiloAsync(leaving);
        }

        await WaitForAsync(async () => (await RowsAsync(cluster)).Values.All(r => r.Leader.Value != leavingId), $"no partition led by the departed replica {leavingId}");
        if (kill)
        {
            // Reads change nothing: each grain is read until it answers (Orleans's directory stops naming the killed silo).
            await WaitForAsync(async () => (await Task.WhenAll(keys.Select(async k =>
            {
                try
                {
                    return (await Grain(cluster, k).Entries()).SequenceEqual(acknowledged[k]);
                }
                catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                {
                    return false;
                }
            }))).All(ok => ok), "every grain answering with its acknowledged writes after the kill");
        }

        Dictionary<int, ReplicaConfiguration> before = await RowsAsync(cluster);

        // Load on every grain, one call at a time per grain, never retried: a failed call is a failure of the test.
        LedgerLoad load = LedgerLoad.Start(k => Grain(cluster, k), keys, acknowledged, Workers);

        // The silo comes back on its directory (same replica) and gets its share: 3 of the 9 leaderships each.
        // (Started outside the cluster's list, whose restart would not let the stop's hand-over be observed first.)
        await using SiloHandle back = await cluster.StartSiloAsync(instance, cluster.Options);
        Assert.Equal(leavingId, ReplicatedTestCluster.ReplicaId(back));
        var spreading = Stopwatch.StartNew();
        Dictionary<int, ReplicaConfiguration> after = [];
        await WaitForAsync(async () =>
        {
            after = await RowsAsync(cluster);
            return after.Values.GroupBy(r => r.Leader.Value).Count() == 3 && after.Values.GroupBy(r => r.Leader.Value).All(g => g.Count() == Partitions / 3);
        }, "every silo leading 3 of the 9 partitions", () => $"rows now: {Describe(after)}");
        spreading.Stop();

        int writtenAtSpread = Count(acknowledged);
        await WaitForAsync(() => Task.FromResult(Count(acknowledged) > writtenAtSpread + keys.Count), "the load running after the rebalance");
        await load.StopAsync();
        Dictionary<int, ReplicaConfiguration> final = await RowsAsync(cluster);

        Console.WriteLine($"LeadershipRebalanceTests ({(kill ? "kill" : "stop")}): leaderships spread {spreading.Elapsed.TotalSeconds:F1} s after the restart; {Count(acknowledged)} writes acknowledged");
        int[] moved = [.. before.Keys.Where(p => final[p].Leader != before[p].Leader)];
        Assert.Equal(Partitions / 3, moved.Length);
        Assert.All(moved, p => Assert.Equal(leavingId, final[p].Leader.Value));
        Assert.All(before.Keys, p => Assert.True(
            final[p].Epoch == before[p].Epoch + (moved.Contains(p) ? 1 : 0),
            $"partition {p}: epoch {before[p].Epoch} → {final[p].Epoch}, leader {before[p].Leader} → {final[p].Leader} (one leader change per moved partition, none for the others)"));
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed during the rebalance: {string.Join("; ", load.Failures.Take(5))}");
        foreach (int key in keys)
        {
            Assert.Equal(acknowledged[key], await Grain(cluster, key).Entries());
        }

        // Checked: killed, not stopped gracefully by the disposal (see ReplicatedTestCluster.KillAllAsync).
        await ReplicatedTestCluster.KillAllAsync(cluster, back);
    }

    private static int Count(Dictionary<int, List<int>> acknowledged)
    {
        lock (acknowledged)
        {
            return acknowledged.Values.Sum(a => a.Count);
        }
    }

    private static async Task<Dictionary<int, ReplicaConfiguration>> RowsAsync(TestCluster cluster) =>
        await ReplicatedTestCluster.Replicas(cluster.Primary!).Reads.ReadAsync();

    private static bool InSyncEverywhere(IEnumerable<SiloHandle> silos, int partition)
    {
        HeldReplica?[] replicas = [.. silos.Select(s => ReplicatedTestCluster.Replicas(s).Get(partition))];
        HeldReplica? leader = replicas.FirstOrDefault(r => r is not null && r.Host.Status.IsLeader);
        return replicas.All(r => r is not null) && leader is not null && leader.Host.Status.CommittedLsn > 0
            && replicas.All(r => r!.Host.Status.DurableLsn >= leader.Host.Status.CommittedLsn);
    }

    /// <summary>"partition: leader (epoch) in-sync set" for each row, for failure messages.</summary>
    private static string Describe(Dictionary<int, ReplicaConfiguration> rows) =>
        string.Join("; ", rows.OrderBy(r => r.Key).Select(r => $"{r.Key}: leader {r.Value.Leader} (epoch {r.Value.Epoch}) in sync [{string.Join(",", r.Value.InSync)}]"));

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, Func<string>? state = null)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {Patience.TotalSeconds} s waiting for {what}{(state is null ? "" : "; " + state())}");
            await Task.Delay(50);
        }
    }

    private static ILedgerGrain Grain(TestCluster cluster, int key) => cluster.GrainFactory.GetGrain<ILedgerGrain>(key, grainClassNamePrefix: typeof(LedgerGrain).FullName!);

    public void Dispose() => _root.Dispose();
}
