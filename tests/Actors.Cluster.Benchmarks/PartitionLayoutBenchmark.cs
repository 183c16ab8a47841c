using System.Diagnostics;
using Actors.Wal;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// Durable appends/s of one silo's grains under two layouts of its partitions, in the same run, interleaved rounds:
/// <list type="bullet">
/// <item><b>per-partition</b>: each partition has its own log (its own writer loop and group commit, its own fsyncs);</item>
/// <item><b>shared</b>: one silo log; every partition's streams are in it, tagged by a partition prefix.</item>
/// </list>
/// Each writer is one grain appending one-event batches (SyncPolicy.Always) to its own stream, one append in flight;
/// grain w belongs to partition w mod P. Every round opens fresh logs in fresh directories (same file state for both).
/// </summary>
internal static class PartitionLayoutBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions(args);
        int partitions = options.GetInt("partitions", 16);
        int[] writerCounts = options.GetInts("writers", "1,16,64,256");
        int seconds = options.GetInt("seconds", 3);
        int rounds = options.GetInt("rounds", 3);
        string root = options.Get("dir", Path.Combine(Path.GetTempPath(), "actors-layout-" + Guid.NewGuid().ToString("N")));
        Console.WriteLine($"partition layout: {partitions} partitions on one silo, {seconds} s per round, {rounds} interleaved rounds, dir {root}");
        Console.WriteLine($"load average before: {BenchOptions.LoadAverage()}");
        Console.WriteLine("writers | layout        | appends/s (median) | all rounds                  | fsyncs/append");
        try
        {
            foreach (int writers in writerCounts)
            {
                var perPartition = new List<(double Rate, double FsyncsPerAppend)>();
                var shared = new List<(double Rate, double FsyncsPerAppend)>();
                for (int round = 0; round < rounds; round++)
                {
                    perPartition.Add(await MeasureAsync(root, partitions, writers, seconds, sharedLog: false));
                    shared.Add(await MeasureAsync(root, partitions, writers, seconds, sharedLog: true));
                }

                Print(writers, "per-partition", perPartition);
                Print(writers, "shared", shared);
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

    private static void Print(int writers, string layout, List<(double Rate, double FsyncsPerAppend)> results)
    {
        double[] rates = results.Select(r => r.Rate).Order().ToArray();
        double median = rates[rates.Length / 2];
        double fsyncs = results.Select(r => r.FsyncsPerAppend).Order().ElementAt(results.Count / 2);
        Console.WriteLine($"{writers,7} | {layout,-13} | {median,18:N0} | {string.Join(" ", results.Select(r => r.Rate.ToString("N0"))),-27} | {fsyncs:F3}");
    }

    private static async Task<(double Rate, double FsyncsPerAppend)> MeasureAsync(string root, int partitions, int writers, int seconds, bool sharedLog)
    {
        string dir = Path.Combine(root, Guid.NewGuid().ToString("N"));
        int logCount = sharedLog ? 1 : partitions;
        var logs = new WriteAheadLog[logCount];
        for (int i = 0; i < logCount; i++)
        {
            logs[i] = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions
            {
                Directory = Path.Combine(dir, $"p{i:D5}"),
                SyncPolicy = SyncPolicy.Always,
                SegmentSizeBytes = 16L * 1024 * 1024,
                MaxRecordSizeBytes = 1024 * 1024,
            });
        }

        try
        {
            byte[] payload = new byte[100];
            Random.Shared.NextBytes(payload);
            long appended = 0;
            using var stop = new CancellationTokenSource();
            var warmupDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = new Task[writers];
            for (int w = 0; w < writers; w++)
            {
                int writer = w;
                tasks[w] = Task.Run(async () =>
                {
                    int partition = writer % partitions;
                    WriteAheadLog log = logs[sharedLog ? 0 : partition];
                    string stream = $"p{partition}/grain/{writer}";
                    ReadOnlyMemory<byte>[] batch = [payload];
                    long version = 0;
                    while (!stop.IsCancellationRequested)
                    {
                        await log.AppendAsync(stream, version, batch);
                        version++;
                        if (warmupDone.Task.IsCompleted)
                        {
                            Interlocked.Increment(ref appended);
                        }
                    }
                });
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
            long fsyncsBefore = logs.Sum(l => l.GetStatistics().Fsyncs);
            var clock = Stopwatch.StartNew();
            warmupDone.SetResult();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            long count = Interlocked.Read(ref appended);
            double elapsed = clock.Elapsed.TotalSeconds;
            long fsyncs = logs.Sum(l => l.GetStatistics().Fsyncs) - fsyncsBefore;
            stop.Cancel();
            await Task.WhenAll(tasks);
            return (count / elapsed, count == 0 ? 0 : (double)fsyncs / count);
        }
        finally
        {
            foreach (WriteAheadLog log in logs)
            {
                await log.DisposeAsync();
            }

            Directory.Delete(dir, recursive: true);
        }
    }
}
