using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Wal.Entries;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// Acknowledged appends/s of one partition log through <see cref="ReplicaHost"/>: replicated on 3 replicas against the
/// same host with one replica (replication factor 1: same driver, same one-fsync-per-burst group commit), in the same run,
/// interleaved rounds, fresh directories each round. All replicas run in this process on this disk (messages through the
/// wire codec, no network): the figure is the protocol's and the extra replicas' disk cost, not a 3-machine cluster's.
/// Each writer keeps one append in flight.
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
        string root = options.Get("dir", Path.Combine(Path.GetTempPath(), "actors-replication-bench-" + Guid.NewGuid().ToString("N")));
        Console.WriteLine($"replication: one partition log, {payloadBytes}-byte entries, {seconds} s per round, {rounds} interleaved rounds, dir {root}");
        Console.WriteLine($"load average before: {BenchOptions.LoadAverage()}");
        Console.WriteLine("writers | replicas | appends/s (median) | p50 ms | p99 ms | all rounds (appends/s)");
        try
        {
            foreach (int writers in writerCounts)
            {
                var single = new List<Result>();
                var replicated = new List<Result>();
                for (int round = 0; round < rounds; round++)
                {
                    single.Add(await MeasureAsync(root, 1, writers, seconds, payloadBytes));
                    replicated.Add(await MeasureAsync(root, 3, writers, seconds, payloadBytes));
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
            $"{writers,7} | {replicas,8} | {median.Rate,18:N0} | {median.P50Ms,6:F2} | {median.P99Ms,6:F2} | {string.Join(", ", results.Select(r => r.Rate.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}");
        return median.Rate;
    }

    private static async Task<Result> MeasureAsync(string root, int replicaCount, int writers, int seconds, int payloadBytes)
    {
        var ids = Enumerable.Range(1, replicaCount).Select(i => new ReplicaId(i)).ToArray();
        var store = new InMemoryReplicaConfigurationStore(ReplicaConfiguration.Initial(ids[0], ids));
        var transport = new InProcessTransport();
        var replicaOptions = new ReplicaOptions { FollowerLagTimeout = TimeSpan.FromSeconds(30), LeaderTimeout = TimeSpan.FromSeconds(30) };
        var hosts = new List<ReplicaHost>();
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
            }

            var leader = hosts[0];
            while (!leader.Status.IsLeader)
            {
                await Task.Delay(5);
            }

            var payload = new byte[payloadBytes];
            var latencies = new ConcurrentBag<double>();
            long appended = 0;
            var until = Stopwatch.StartNew();
            var duration = TimeSpan.FromSeconds(seconds);
            var tasks = Enumerable.Range(0, writers).Select(async _ =>
            {
                while (until.Elapsed < duration)
                {
                    long start = Stopwatch.GetTimestamp();
                    await leader.AppendAsync(payload);
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    Interlocked.Increment(ref appended);
                }
            }).ToArray();
            await Task.WhenAll(tasks);
            double elapsed = until.Elapsed.TotalSeconds;
            var sorted = latencies.Order().ToArray();
            return new Result(appended / elapsed, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)]);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private readonly record struct Result(double Rate, double P50Ms, double P99Ms);

    /// <summary>Delivers each message to its replica's host through the wire codec (as bytes, as over a socket).</summary>
    internal sealed class InProcessTransport : IReplicationTransport
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
