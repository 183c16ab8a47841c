using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Wal;
using Actors.Wal.Entries;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// One partition log on 3 replicas against 1 (same driver, same one-fsync-per-burst group commit), in the same run,
/// interleaved rounds, fresh directories each round, each writer one write in flight. Two paths: <c>appends</c> (default)
/// measures <see cref="ReplicaHost.AppendAsync"/> (one entry per append); <c>--event-log</c> measures event-log writes
/// through <see cref="ReplicatedEventLog"/> (what a replicated silo partition does per grain write: the leader's group
/// commit batches writes into entries; <c>--batching off</c> proposes one entry per write, no limit in flight, as before
/// group commit), with in-memory materialized logs. Besides rates it prints exact counts per round: writes per entry,
/// fsyncs per entry on the leader and on a follower, messages the leader sent per entry. All replicas run in this
/// process on this disk (messages through the wire codec, no network): the figure is the protocol's and the extra
/// replicas' disk cost, not a 3-machine cluster's.
/// </summary>
internal static class ReplicationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions(args);
        int[] writerCounts = options.GetInts("writers", "1,16,64,256");
        int seconds = options.GetInt("seconds", 3);
        int rounds = options.GetInt("rounds", 3);
        int payloadBytes = options.GetInt("payload", 100);
        bool eventLog = options.Get("event-log", "off") != "off";
        bool batching = options.Get("batching", "on") != "off";
        string root = options.Get("dir", Path.Combine(Path.GetTempPath(), "actors-replication-bench-" + Guid.NewGuid().ToString("N")));
        string path = !eventLog ? "ReplicaHost appends (one entry each)"
            : batching ? "event-log writes, leader group commit" : "event-log writes, one entry per write (no group commit)";
        Console.WriteLine($"replication: one partition log, {path}, {payloadBytes}-byte payloads, {seconds} s per round, {rounds} interleaved rounds, dir {root}");
        Console.WriteLine($"load average before: {BenchOptions.LoadAverage()}");
        Console.WriteLine("writers | replicas | writes/s (median) | p50 ms | p99 ms | writes/entry | leader fsyncs/entry | follower fsyncs/entry | leader msgs/entry | all rounds (writes/s)");
        var run = new Run(root, seconds, payloadBytes, eventLog, batching);
        try
        {
            foreach (int writers in writerCounts)
            {
                var single = new List<Result>();
                var replicated = new List<Result>();
                for (int round = 0; round < rounds; round++)
                {
                    single.Add(await run.MeasureAsync(1, writers));
                    replicated.Add(await run.MeasureAsync(3, writers));
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
            $"{writers,7} | {replicas,8} | {median.Rate,17:N0} | {median.P50Ms,6:F2} | {median.P99Ms,6:F2} | {median.WritesPerEntry,12:F1} | {median.LeaderSyncsPerEntry,19:F2} | {median.FollowerSyncsPerEntry,21:F2} | {median.MessagesPerEntry,17:F2} | "
            + string.Join(", ", results.Select(r => r.Rate.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))));
        return median.Rate;
    }

    private sealed class Run(string root, int seconds, int payloadBytes, bool eventLog, bool batching)
    {
        public async Task<Result> MeasureAsync(int replicaCount, int writers)
        {
            var ids = Enumerable.Range(1, replicaCount).Select(i => new ReplicaId(i)).ToArray();
            var store = new InMemoryReplicaConfigurationStore(ReplicaConfiguration.Initial(ids[0], ids));
            var transport = new InProcessTransport();
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
                    if (eventLog)
                    {
                        var applier = new CommittedEntryApplier(host, new InMemoryEventLog());
                        appliers.Add(applier);
                        applier.Start();
                    }
                }

                var leader = hosts[0];
                while (!leader.Status.IsLeader)
                {
                    await Task.Delay(5);
                }

                Func<int, Task> write = eventLog ? EventLogWriter(leader, appliers[0]) : HostWriter(leader);
                var leaderBefore = leader.Counters;
                var followerBefore = hosts.Count > 1 ? hosts[1].Counters : default;
                var latencies = new ConcurrentBag<double>();
                long written = 0;
                var until = Stopwatch.StartNew();
                var duration = TimeSpan.FromSeconds(seconds);
                var tasks = Enumerable.Range(0, writers).Select(async w =>
                {
                    while (until.Elapsed < duration)
                    {
                        long start = Stopwatch.GetTimestamp();
                        await write(w);
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

        private Func<int, Task> HostWriter(ReplicaHost leader)
        {
            var payload = new byte[payloadBytes];
            return _ => leader.AppendAsync(payload);
        }

        private Func<int, Task> EventLogWriter(ReplicaHost leader, CommittedEntryApplier applier)
        {
            var log = batching
                ? new ReplicatedEventLog(leader, applier)
                : new ReplicatedEventLog(leader, applier, maxEntriesInFlight: int.MaxValue, maxBatchBytes: 1);
            ReadOnlyMemory<byte>[] events = [new byte[payloadBytes]];
            return writer => log.AppendAsync($"writer/{writer}", ExpectedVersion.Any, events).AsTask();
        }
    }

    private readonly record struct Result(
        double Rate, double P50Ms, double P99Ms, double WritesPerEntry, double LeaderSyncsPerEntry, double FollowerSyncsPerEntry, double MessagesPerEntry);

    /// <summary>Delivers each message to its replica's host through the wire codec (as bytes, as over a socket).</summary>
    private sealed class InProcessTransport : IReplicationTransport
    {
        public ConcurrentDictionary<ReplicaId, ReplicaHost> Hosts { get; } = new();

        public void Send(ReplicaId from, ReplicaId to, ReplicationMessage message)
        {
            if (Hosts.TryGetValue(to, out var host))
            {
                var buffer = new ArrayBufferWriter<byte>();
                ReplicationMessageCodec.Write(message, buffer);
                host.Deliver(ReplicationMessageCodec.Read(buffer.WrittenSpan));
            }
        }
    }
}
