using System.Diagnostics;
using Actors.Client;
using Actors.ClientDemo.Launching;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Cluster.PostgreSql;
using Actors.Demo.Grains.Accounts;
using Actors.Runtime;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// The silo program as processes over a PostgreSQL given by connection string (scripts/cluster-bench.sh starts one):
/// a one-silo cluster and a three-silo cluster run side by side, and each round measures, interleaved:
/// <list type="bullet">
/// <item>durable journaled calls/s (<c>Deposit</c> on the demo's bank accounts, <c>SyncPolicy.Always</c>, one account per
/// caller) on 1 silo and on 3 silos, the latter with each caller on the gateway of its account's owner (what a
/// routing-aware client achieves) and with every caller on one gateway (today's client: the gateway forwards 2/3);</item>
/// <item>in-silo vs cross-silo calls (<c>GetBalance</c>, no disk) through one gateway silo: accounts it owns (served
/// there) against accounts another silo owns (one silo-to-silo hop each way).</item>
/// </list>
/// Calls/s and latency p50/p99 per phase, medians over rounds, and the load average before and after.
/// </summary>
internal static class ProcessClusterBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions(args);
        string connectionString = options.Get("pg", "");
        if (connectionString.Length == 0)
        {
            Console.Error.WriteLine("processes needs --pg <PostgreSQL connection string> (scripts/cluster-bench.sh starts a server)");
            return 2;
        }

        int rounds = options.GetInt("rounds", 3);
        TimeSpan phase = TimeSpan.FromSeconds(options.GetInt("seconds", 5));
        int callers = options.GetInt("callers", 32);
        // Issue 13's comparison: --replication-factor 3 --callers 256 makes the three-silo cluster replicate every partition
        // on all three silos, against the one unreplicated silo.
        int replicationFactor = options.GetInt("replication-factor", 1);
        // --phases durable: only the two durable phases each round (1 silo, 3 silos on the owners' gateways), e.g. to profile them.
        bool durableOnly = options.Get("phases", "all") == "durable";
        string root = Path.Combine(Path.GetTempPath(), "actors-cluster-bench-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"cluster processes: {rounds} rounds of {phase.TotalSeconds} s phases{(durableOnly ? " (durable phases only)" : "")}, {callers} callers, 3-silo replication factor {replicationFactor}; load average before: {BenchOptions.LoadAverage()}");
        var one = new BenchCluster(connectionString, root, "one", 1);
        var three = new BenchCluster(connectionString, root, "three", 3, replicationFactor);
        try
        {
            await one.StartAsync();
            await three.StartAsync();
            var results = new Dictionary<string, List<PhaseResult>>();
            for (int round = 1; round <= rounds; round++)
            {
                string tag = $"r{round}";
                Record(results, "durable deposits, 1 silo", await DurableAsync(one, callers, phase, $"{tag}-one", routed: true));
                Record(results, "durable deposits, 3 silos, each caller on its owner's gateway", await DurableAsync(three, callers, phase, $"{tag}-three", routed: true));
                Console.WriteLine($"    load average: {BenchOptions.LoadAverage()}");
                if (durableOnly)
                {
                    continue;
                }

                Record(results, "durable deposits, 3 silos, all callers on one gateway", await DurableAsync(three, callers, phase, $"{tag}-via", routed: false));
                Record(results, "reads in-silo (gateway silo owns the account)", await ReadsAsync(three, callers, phase, $"{tag}-in", crossSilo: false));
                Record(results, "reads cross-silo (another silo owns the account)", await ReadsAsync(three, callers, phase, $"{tag}-cross", crossSilo: true));
            }

            Console.WriteLine();
            Console.WriteLine("| phase | calls/s (median) | p50 ms | p99 ms |");
            Console.WriteLine("| --- | --- | --- | --- |");
            foreach ((string name, List<PhaseResult> list) in results)
            {
                PhaseResult median = list.OrderBy(r => r.CallsPerSecond).ElementAt(list.Count / 2);
                Console.WriteLine($"| {name} | {median.CallsPerSecond:N0} | {median.P50:N2} | {median.P99:N2} |");
            }

            Console.WriteLine($"load average after: {BenchOptions.LoadAverage()}");
            if (replicationFactor > 1)
            {
                // Exact counts, not rates: the silos' replication traffic, then each replica's counters as it stops.
                var metrics = new List<Dictionary<string, double>>();
                for (int silo = 0; silo < three.Processes.Count; silo++)
                {
                    metrics.Add(await three.MetricsAsync(silo));
                }

                bool graceful = await three.StopAsync();
                ReplicationCounters.Print(three.ReplicaStopLines, metrics, replicationFactor);
                if (!graceful)
                {
                    Console.WriteLine("  (a silo did not stop within 60 s and was killed: its replicas' lines are missing)");
                }
            }

            return 0;
        }
        finally
        {
            // The silos stop before their data directories go (a replica whose directory vanishes fails, loudly).
            await three.DisposeAsync();
            await one.DisposeAsync();
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static void Record(Dictionary<string, List<PhaseResult>> results, string name, PhaseResult result)
    {
        Console.WriteLine($"  {name}: {result.CallsPerSecond:N0} calls/s, p50 {result.P50:N2} ms, p99 {result.P99:N2} ms ({result.Calls:N0} calls)");
        if (!results.TryGetValue(name, out List<PhaseResult>? list))
        {
            results[name] = list = [];
        }

        list.Add(result);
    }

    private static async Task<PhaseResult> DurableAsync(BenchCluster cluster, int callers, TimeSpan phase, string tag, bool routed)
    {
        ClusterSnapshot table = await cluster.ReadAsync();
        IClusterClient first = cluster.Clients[cluster.Names[0]];
        return await MeasureAsync(callers, phase, tag, CpuProcesses(cluster), caller =>
        {
            IBankAccountGrain account = first.GetGrain<IBankAccountGrain>($"{tag}-{caller}");
            IClusterClient client = routed ? cluster.Clients[OwnerOf(account, table)] : first;
            IBankAccountGrain grain = client.GetGrain<IBankAccountGrain>($"{tag}-{caller}");
            return () => grain.Deposit(1, "bench");
        });
    }

    private static async Task<PhaseResult> ReadsAsync(BenchCluster cluster, int callers, TimeSpan phase, string tag, bool crossSilo)
    {
        ClusterSnapshot table = await cluster.ReadAsync();
        string gatewaySilo = cluster.Names[0];
        IClusterClient client = cluster.Clients[gatewaySilo];
        var accounts = new List<IBankAccountGrain>();
        for (int i = 0; accounts.Count < callers; i++)
        {
            IBankAccountGrain account = client.GetGrain<IBankAccountGrain>($"{tag}-{i}");
            if ((OwnerOf(account, table) == gatewaySilo) != crossSilo)
            {
                await account.Deposit(1, "setup");
                accounts.Add(account);
            }
        }

        double forwardedBefore = await cluster.ForwardedCallsAsync(0);
        PhaseResult result = await MeasureAsync(callers, phase, tag, CpuProcesses(cluster), caller => () => accounts[caller].GetBalance());
        double forwarded = await cluster.ForwardedCallsAsync(0) - forwardedBefore;
        // The check that the phase measures what it says: cross-silo calls are forwarded by the gateway silo, in-silo ones not.
        Console.WriteLine($"    the gateway silo forwarded {forwarded:N0} calls during the phase ({result.Calls + callers:N0} calls made)");
        return result;
    }

    /// <summary>
    /// The owner of the account's partition. The silo routes by the canonical id (the class's grain type, as the runtime
    /// resolves a reference made from the interface), so the partition is computed from that id.
    /// </summary>
    private static string OwnerOf(IAddressable grain, ClusterSnapshot table)
    {
        var canonical = new GrainId(GrainTypeNames.ForClass(typeof(BankAccountGrain)), grain.GetGrainId().Key);
        return table.Partitions[PartitionMap.GetPartition(canonical, table.PartitionCount)].Owner
            ?? throw new InvalidOperationException("a partition has no owner");
    }

    /// <summary>The measured cluster's silo processes and this process (the callers and their clients share the machine).</summary>
    private static List<(string Name, int ProcessId)> CpuProcesses(BenchCluster cluster) =>
        [.. cluster.Names.Select((name, i) => (name, cluster.Processes[i].ProcessId)), ("callers", Environment.ProcessId)];

    /// <summary>
    /// Warms every caller's call once, then runs them all for <paramref name="phase"/>. The line "measuring TAG" marks the
    /// window's start (scripts/cluster-profile.sh samples inside it); the CPU line after it covers the window exactly.
    /// </summary>
    private static async Task<PhaseResult> MeasureAsync(int callers, TimeSpan phase, string tag, List<(string Name, int ProcessId)> cpuProcesses, Func<int, Func<Task>> callOf)
    {
        Func<Task>[] calls = Enumerable.Range(0, callers).Select(callOf).ToArray();
        foreach (Func<Task> call in calls)
        {
            await call(); // warm: activation, connections
        }

        var latencies = new List<double>[callers];
        Console.WriteLine($"    measuring {tag} for {phase.TotalSeconds} s");
        CpuAccount cpu = CpuAccount.Start(cpuProcesses);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(1024);
            while (clock.Elapsed < phase)
            {
                long start = Stopwatch.GetTimestamp();
                await calls[c]();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        double seconds = clock.Elapsed.TotalSeconds;
        double[] all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine($"    {cpu.Describe(all.Length)}");
        return new PhaseResult(all.Length, all.Length / seconds, all[all.Length / 2], all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))]);
    }

    private sealed record PhaseResult(long Calls, double CallsPerSecond, double P50, double P99);
}
