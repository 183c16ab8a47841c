using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Wal;
using Actors.Wal.Entries;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// Acknowledged event-log writes/s through <see cref="ReplicatedEventLog"/> (what a replicated silo partition does per
/// grain write): 3 replicas against 1 (same event log, same applier), interleaved rounds, fresh directories each round,
/// each writer one stream with one write in flight. Besides the rate it prints exact counts per round: entries per
/// write (the leader's group commit), fsyncs per entry on the leader and on a follower, messages per entry. All replicas
/// run in this process on this disk; the materialized logs are in memory.
/// </summary>
internal static class ReplicatedWritesBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions(args);
        int[] writerCounts = options.GetInts("writers", "1,16,256");
        int seconds = options.GetInt("seconds", 3);
        int rounds = options.GetInt("rounds", 3);
        int payloadBytes = options.GetInt("payload", 100);
        bool batching = options.Get("batching", "on") != "off";
        string root = options.Get("dir", Path.Combine(Path.GetTempPath(), "actors-replicated-writes-bench-" + Guid.NewGuid().ToString("N")));
        Console.WriteLine($"replicated-writes: one partition's event log, {payloadBytes}-byte events, {seconds} s per round, {rounds} interleaved rounds, batching {(batching ? "on" : "off: one entry per write, no limit in flight (the behaviour before group commit)")}, dir {root}");
        Console.WriteLine($"load average before: {BenchOptions.LoadAverage()}");
        Console.WriteLine("writers | replicas | writes/s (median) | p50 ms | p99 ms | writes/entry | leader fsyncs/entry | follower fsyncs/entry | leader msgs sent/entry");
        try
        {
            foreach (int writers in writerCounts)
            {
                var single = new List<Result>();
                var replicated = new List<Result>();
                for (int round = 0; round < rounds; round++)
                {
                    single.Add(await MeasureAsync(root, 1, writers, seconds, payloadBytes, batching));
                    replicated.Add(await MeasureAsync(root, 3, writers, seconds, payloadBytes, batching));
                }

                double singleMedian = Print(writers, 1, single);
                double replicatedMedian = Print(writers, 3, replicated);
                Console.WriteLine($"{writers,7} | ratio 3/1 | {replicatedMedian / singleMedian:P0}");
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        Console.WriteLine($"load average after: {BenchOptions.LoadAverage()}");
        return 0;
    }

    private static double Print(int writers, int replicas, List<Result> results)
    {
        var median = results.OrderBy(r => r.Rate).ElementAt(results.Count / 2);
        Console.WriteLine(
            $"{writers,7} | {replicas,8} | {median.Rate,17:N0} | {median.P50Ms,6:F2} | {median.P99Ms,6:F2} | {median.WritesPerEntry,12:F1} | {median.LeaderSyncsPerEntry,19:F2} | {median.FollowerSyncsPerEntry,21:F2} | {median.MessagesPerEntry,22:F2}");
        return median.Rate;
    }

    private static async Task<Result> MeasureAsync(string root, int replicaCount, int writers, int seconds, int payloadBytes, bool batching)
    {
        var ids = Enumerable.Range(1, replicaCount).Select(i => new ReplicaId(i)).ToArray();
        var store = new InMemoryReplicaConfigurationStore(ReplicaConfiguration.Initial(ids[0], ids));
        var transport = new ReplicationBenchmark.InProcessTransport();
        var replicaOptions = new ReplicaOptions { FollowerLagTimeout = TimeSpan.FromSeconds(30), LeaderTimeout = TimeSpan.FromSeconds(30) };
        var hosts = new List<ReplicaHost>();
        var appliers = new List<CommittedEntryApplier>();
        string directory = Path.Combine(root, Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var id in ids)
            {
                var log = EntryLog.Open(new EntryLogOptions { Directory = Path.Combine(directory, $"r{id.Value}") });
                var host = new ReplicaHost(id, log, store, transport, replicaOptions);
                transport.Hosts[id] = host;
                hosts.Add(host);
                host.Start();
                var applier = new CommittedEntryApplier(host, new InMemoryEventLog());
                appliers.Add(applier);
                applier.Start();
            }

            var leader = hosts[0];
            while (!leader.Status.IsLeader)
            {
                await Task.Delay(5);
            }

            var eventLog = batching
                ? new ReplicatedEventLog(leader, appliers[0])
                : new ReplicatedEventLog(leader, appliers[0], maxEntriesInFlight: int.MaxValue, maxBatchBytes: 1);
            ReadOnlyMemory<byte>[] events = [new byte[payloadBytes]];
            var leaderBefore = leader.Counters;
            var followerBefore = hosts.Count > 1 ? hosts[1].Counters : default;
            var latencies = new ConcurrentBag<double>();
            long written = 0;
            var until = Stopwatch.StartNew();
            var duration = TimeSpan.FromSeconds(seconds);
            var tasks = Enumerable.Range(0, writers).Select(async w =>
            {
                string stream = $"writer/{w}";
                while (until.Elapsed < duration)
                {
                    long start = Stopwatch.GetTimestamp();
                    await eventLog.AppendAsync(stream, ExpectedVersion.Any, events);
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    Interlocked.Increment(ref written);
                }
            }).ToArray();
            await Task.WhenAll(tasks);
            double elapsed = until.Elapsed.TotalSeconds;
            var leaderCounts = leader.Counters;
            double entries = Math.Max(1, leaderCounts.AppendsProposed - leaderBefore.AppendsProposed);
            double followerSyncs = hosts.Count > 1 ? hosts[1].Counters.Syncs - followerBefore.Syncs : 0;
            var sorted = latencies.Order().ToArray();
            return new Result(
                written / elapsed,
                sorted[sorted.Length / 2],
                sorted[(int)(sorted.Length * 0.99)],
                written / entries,
                (leaderCounts.Syncs - leaderBefore.Syncs) / entries,
                followerSyncs / entries,
                (leaderCounts.MessagesSent - leaderBefore.MessagesSent) / entries);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }

            foreach (var applier in appliers)
            {
                await applier.DisposeAsync();
                await applier.Local.DisposeAsync();
            }
        }
    }

    private readonly record struct Result(
        double Rate, double P50Ms, double P99Ms, double WritesPerEntry, double LeaderSyncsPerEntry, double FollowerSyncsPerEntry, double MessagesPerEntry);
}
