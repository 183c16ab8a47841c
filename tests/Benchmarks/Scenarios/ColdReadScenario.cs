using System.Diagnostics;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Wal;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 14 (issue 37 item 5): cold activation. Each of several streams has a checkpoint and then 1,000 events
/// (<c>--later-events N</c>: N; the grain providers checkpoint every 100 events by default) of
/// 100 B, every one of them written after about 100 of 100,000 other streams' events, so each stream's records lie
/// ~19 KB apart across the whole log. The same log is built twice: with the default options (chain consolidation on,
/// <see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/> 128) and with consolidation off; each is reopened. Before
/// each timed read every file of both logs is dropped from the page cache (fsync, then posix_fadvise DONTNEED), so the
/// read goes to the disk. Four read paths are timed read by read, interleaved (the order rotating): each log with the
/// engine's read-ahead (<c>Actors.Wal.ReadAhead</c>) on and off; each read is also timed warm.
/// </summary>
internal sealed class ColdReadScenario : IScenario
{
    private const int EventBytes = 100;
    private const int CheckpointBytes = 1024;
    private const int EventsBeforeCheckpoint = 10;
    private const int DefaultLaterEvents = 1_000;

    public int Number => 14;

    public string Key => "cold";

    public string Title => "Cold activation (checkpoint + 1,000 events among 100,000 streams, pages evicted)";

    private static string TargetStream(int i) => $"cold/{i}";

    private static string OtherStream(int i) => $"other/{i}";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        int others = 100_000;
        int laterEvents = context.Args.LaterEvents ?? DefaultLaterEvents;
        int targets = context.Quick ? 12 : 24;
        int repetitions = context.Quick ? 2 : 4;
        string consolidatedDir = context.NewDirectory("cold-wal");
        string plainDir = context.NewDirectory("cold-wal-unconsolidated");
        try
        {
            Report.Progress($"  building twice: {targets} streams with a checkpoint + {laterEvents:N0} events, among {others:N0} other streams (SyncPolicy.None, then flush)");
            string built = "";
            foreach (var (dir, consolidateAfter) in new[] { (consolidatedDir, WriteAheadLogOptions.DefaultConsolidateAfterRecords), (plainDir, 0) })
            {
                var options = WalFactory.Options(dir, SyncPolicy.None);
                options.ConsolidateAfterRecords = consolidateAfter;
                await using var log = (WriteAheadLog)await WalFactory.OpenAsync(options, cancellationToken);
                await BuildAsync(log, targets, others, laterEvents, cancellationToken);
                await log.FlushAsync(cancellationToken);
                await log.WhenMaintenanceIdleAsync();

                // Copies that lost the race with the build's own appends are retried once their stream stayed unchanged
                // for 100 ms; a running silo's log has that time, a log closed at once would not.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                await log.WhenMaintenanceIdleAsync();
                var stats = log.GetStatistics();
                built += $"ConsolidateAfterRecords {consolidateAfter}: {stats.ChainsConsolidated:N0} streams consolidated, {stats.ConsolidationsSkipped:N0} requests skipped, {Fmt.Bytes(stats.TotalBytes)} of segments; ";
            }

            await using var consolidated = (WriteAheadLog)await WalFactory.OpenAsync(ReadOptions(consolidatedDir, WriteAheadLogOptions.DefaultConsolidateAfterRecords), cancellationToken);
            await using var plain = (WriteAheadLog)await WalFactory.OpenAsync(ReadOptions(plainDir, 0), cancellationToken);
            string[] modes = ["consolidated (default), read-ahead on", "consolidated, read-ahead off", "not consolidated, read-ahead on", "not consolidated, read-ahead off"];
            var logs = new[] { consolidated, consolidated, plain, plain };
            var readAhead = new[] { true, false, true, false };
            var cold = modes.Select(_ => new LatencyHistogram()).ToArray();
            var warm = modes.Select(_ => new LatencyHistogram()).ToArray();
            var advised = new long[modes.Length];
            for (int rep = 0; rep < repetitions; rep++)
            {
                for (int t = 0; t < targets; t++)
                {
                    // Rotate which path goes first, so none always follows another.
                    for (int k = 0; k < modes.Length; k++)
                    {
                        int mode = (t + rep + k) % modes.Length;
                        var log = logs[mode];
                        AppContext.SetSwitch("Actors.Wal.ReadAhead", readAhead[mode]);
                        EvictSegments(consolidatedDir);
                        EvictSegments(plainDir);
                        long before = log.ReadAheadStatistics.AdvisedBytes;
                        cold[mode].Record(await TimeReadAsync(log, TargetStream(t), laterEvents, cancellationToken));
                        advised[mode] += log.ReadAheadStatistics.AdvisedBytes - before;
                        warm[mode].Record(await TimeReadAsync(log, TargetStream(t), laterEvents, cancellationToken));
                    }
                }

                Report.Progress($"    round {rep + 1}/{repetitions}: cold p50 {Fmt.Latency(cold[0].Percentile(50))} / {Fmt.Latency(cold[1].Percentile(50))} (consolidated; read-ahead on / off) vs {Fmt.Latency(cold[2].Percentile(50))} / {Fmt.Latency(cold[3].Percentile(50))} (not)");
            }

            AppContext.SetSwitch("Actors.Wal.ReadAhead", true);
            string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
            context.Report.Note($"\n{targets} streams x {repetitions} reads per mode; each cold read after fsync + posix_fadvise(DONTNEED) of every " +
                $"file of both logs; warm = the same read again at once. Built: {built}load average after the reads: {load} ({Environment.ProcessorCount} cores).\n");
            var table = new Table("read path", "cold p50", "cold p99", "warm p50", "warm p99", "read ahead per cold read");
            for (int mode = 0; mode < modes.Length; mode++)
            {
                table.Add(
                    modes[mode],
                    Fmt.Latency(cold[mode].Percentile(50)),
                    Fmt.Latency(cold[mode].Percentile(99)),
                    Fmt.Latency(warm[mode].Percentile(50)),
                    Fmt.Latency(warm[mode].Percentile(99)),
                    Fmt.Bytes((double)advised[mode] / Math.Max(1, cold[mode].Count)));
            }

            context.Report.Print(table);
            context.AddGoal(new GoalResult(
                $"cold activation (checkpoint + {laterEvents:N0} events among 100,000 streams, pages evicted) <= 10 ms",
                $"{Fmt.Latency(cold[0].Percentile(50))} ({Fmt.Latency(cold[0].Percentile(99))})",
                Goals.AtMost(cold[0].Percentile(50)?.TotalMilliseconds, 10)));
        }
        finally
        {
            AppContext.SetSwitch("Actors.Wal.ReadAhead", true);
            Directory.Delete(consolidatedDir, recursive: true);
            Directory.Delete(plainDir, recursive: true);
        }
    }

    /// <summary>The options the logs are reopened with for the reads (appends durable, consolidation as built).</summary>
    private static WriteAheadLogOptions ReadOptions(string dir, int consolidateAfter)
    {
        var options = WalFactory.Options(dir, SyncPolicy.Always);
        options.ConsolidateAfterRecords = consolidateAfter;
        return options;
    }

    /// <summary>Times one read of the stream and checks its result (checkpoint at 10, then the later events).</summary>
    private static async Task<long> TimeReadAsync(IEventLog log, string stream, int laterEvents, CancellationToken cancellationToken)
    {
        long t0 = Stopwatch.GetTimestamp();
        StreamReadResult result = await log.ReadStreamAsync(stream, ReadBound.Latest, cancellationToken);
        long elapsed = Stopwatch.GetTimestamp() - t0;
        if (result.Checkpoint?.Version != EventsBeforeCheckpoint || result.Events.Count != laterEvents)
        {
            throw new InvalidOperationException($"wrong result for {stream}: checkpoint {result.Checkpoint?.Version}, {result.Events.Count} events");
        }

        return elapsed;
    }

    /// <summary>Drops every file of the log's directory from the page cache.</summary>
    private static void EvictSegments(string dir)
    {
        foreach (string file in Directory.EnumerateFiles(dir))
        {
            NativeMethods.EvictFromPageCache(file);
        }
    }

    /// <summary>
    /// The targets' first events and checkpoints, then one round per later event of: the next share of the other streams'
    /// events (100 per round for 1,000 later events; 64 appends in flight),
    /// then one event of each target.
    /// </summary>
    private static async Task BuildAsync(IEventLog log, int targets, int others, int laterEvents, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>[] one = [Payload(EventBytes, 1)];
        byte[] checkpoint = Payload(CheckpointBytes, 2);
        for (int t = 0; t < targets; t++)
        {
            for (int v = 0; v < EventsBeforeCheckpoint; v++)
            {
                await log.AppendAsync(TargetStream(t), v, one, cancellationToken);
            }

            await log.WriteCheckpointAsync(TargetStream(t), EventsBeforeCheckpoint, checkpoint, cancellationToken);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken };
        for (int round = 0; round < laterEvents; round++)
        {
            int from = (int)((long)others * round / laterEvents);
            int to = (int)((long)others * (round + 1) / laterEvents);
            await Parallel.ForEachAsync(
                Enumerable.Range(from, to - from),
                parallel,
                async (i, ct) => await log.AppendAsync(OtherStream(i), ExpectedVersion.NoStream, one, ct));
            for (int t = 0; t < targets; t++)
            {
                await log.AppendAsync(TargetStream(t), EventsBeforeCheckpoint + round, one, cancellationToken);
            }
        }
    }

    private static byte[] Payload(int bytes, int seed)
    {
        byte[] payload = new byte[bytes];
        new Random(seed).NextBytes(payload);
        return payload;
    }
}
