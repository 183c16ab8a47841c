using System.Diagnostics;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Wal;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 14 (issue 37 item 5): cold activation. Each of several streams has a checkpoint and then 1,000 events
/// (<c>--later-events N</c>: N; the grain providers checkpoint every 100 events by default) of
/// 100 B, every one of them written after about 100 of 100,000 other streams' events, so each stream's records lie
/// ~19 KB apart across the whole log. The log is reopened; before each timed read every segment file's pages are
/// dropped from the page cache (fsync, then posix_fadvise DONTNEED), so the read goes to the disk. The engine's read-ahead
/// (<c>Actors.Wal.ReadAhead</c>) is switched on and off read by read (interleaved), and each read is also timed warm.
/// </summary>
internal sealed class ColdReadScenario : IScenario
{
    private const int EventBytes = 100;
    private const int CheckpointBytes = 1024;
    private const int EventsBeforeCheckpoint = 10;
    private const int DefaultLaterEvents = 1_000;
    private const int ReadAheadSwitchIndex = 0;

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
        string dir = context.NewDirectory("cold-wal");
        try
        {
            Report.Progress($"  building: {targets} streams with a checkpoint + {laterEvents:N0} events, among {others:N0} other streams (SyncPolicy.None, then flush)");
            await using (IEventLog log = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.None), cancellationToken))
            {
                await BuildAsync(log, targets, others, laterEvents, cancellationToken);
                await log.FlushAsync(cancellationToken);
            }

            await using IEventLog reopened = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always), cancellationToken);
            var statistics = ((WriteAheadLog)reopened).ReadAheadStatistics;
            string[] modes = ["read-ahead on (new)", "read-ahead off (old)"];
            var cold = new[] { new LatencyHistogram(), new LatencyHistogram() };
            var warm = new[] { new LatencyHistogram(), new LatencyHistogram() };
            var advised = new long[2];
            for (int rep = 0; rep < repetitions; rep++)
            {
                for (int t = 0; t < targets; t++)
                {
                    // Alternate which mode goes first, so neither always follows the other.
                    for (int k = 0; k < 2; k++)
                    {
                        int mode = (t + rep + k) % 2;
                        AppContext.SetSwitch("Actors.Wal.ReadAhead", mode == ReadAheadSwitchIndex);
                        EvictSegments(dir);
                        long before = statistics.AdvisedBytes;
                        cold[mode].Record(await TimeReadAsync(reopened, TargetStream(t), laterEvents, cancellationToken));
                        advised[mode] += statistics.AdvisedBytes - before;
                        warm[mode].Record(await TimeReadAsync(reopened, TargetStream(t), laterEvents, cancellationToken));
                    }
                }

                Report.Progress($"    round {rep + 1}/{repetitions}: cold p50 {Fmt.Latency(cold[0].Percentile(50))} (on) vs {Fmt.Latency(cold[1].Percentile(50))} (off)");
            }

            AppContext.SetSwitch("Actors.Wal.ReadAhead", true);
            string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
            context.Report.Note($"\n{targets} streams x {repetitions} reads per mode; each cold read after fsync + posix_fadvise(DONTNEED) of every " +
                $"segment file; warm = the same read again at once. Load average after the reads: {load} ({Environment.ProcessorCount} cores).\n");
            var table = new Table("read path", "cold p50", "cold p99", "warm p50", "warm p99", "read ahead per cold read");
            for (int mode = 0; mode < 2; mode++)
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
            Directory.Delete(dir, recursive: true);
        }
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
