using System.Diagnostics;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Peers;
using Actors.Benchmarks.Wal;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 7: does the log slow down as it ages? A log of 1 GiB (256 MiB quick) is built first, in which each of
/// the 256 writers' streams has records in every segment (no checkpoints, so all of them stay live) next to 10,000
/// other streams (and flushed); then 256 writers x 100 B under Always run on it and on a fresh log in rounds whose order
/// rotates (<c>--rounds N</c>, default 2; each row's window is split over them) (same file
/// state, same options), and a third row runs the fresh log with a checkpoint every 64 versions of each stream, written
/// as the provider writes them (staggered by stream, beside the appends: see <see cref="WalTarget"/>). The p99 of these
/// rows spans segment rotations (each run writes well over one 64 MiB segment at the rates seen) and, in the third row,
/// checkpoints.
/// </summary>
internal sealed class AgedLogScenario : IScenario
{
    /// <summary>The writers whose streams (<c>s/0</c>..) the aged log spreads over every segment.</summary>
    public const int Writers = 256;
    private const int PayloadBytes = 100;
    private const int FillerStreams = 10_000;
    private const int AgingEventBytes = 1024;
    private const int AgingBatch = 16;
    private const int CheckpointEvery = 64;
    private const string Aged = "aged log";
    private const string Fresh = "fresh log";
    private const string Checkpointing = "fresh log, checkpoints every 64 appends (staggered, beside the appends)";

    public int Number => 7;

    public string Key => "aged";

    public string Title => "Aged log, rotations and checkpoints";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        long agedBytes = AgedBytes(context);
        string agedDir = context.NewDirectory("aged");
        var build = Stopwatch.StartNew();
        int segments = await BuildAgedLogAsync(context, agedDir, agedBytes, cancellationToken);
        Report.Progress($"  aged log built: {Fmt.Bytes(agedBytes)} in {segments} segments, {build.Elapsed.TotalSeconds:0.0} s");

        var workload = new Workload(Writers, PayloadBytes, context.Warmup, context.Window);
        var rows = new[] { Aged, Fresh, Checkpointing };
        var results = rows.ToDictionary(r => r, _ => new List<ThroughputResult>());
        int rounds = Math.Max(2, context.Args.Rounds ?? context.Rounds);
        for (int round = 0; round < rounds; round++)
        {
            // The order rotates each round: the row that runs first (after the build, or after another row's files)
            // is a different one each time.
            foreach (string row in rows.Skip(round % rows.Length).Concat(rows.Take(round % rows.Length)))
            {
                Workload slice = workload with { Duration = workload.Duration / rounds };
                string dir = row == Aged ? agedDir : context.NewDirectory("fresh");
                Report.Progress($"  {row}: {Writers} writers x {PayloadBytes} B (round {round + 1}/{rounds})");
                var target = new WalTarget(
                    row,
                    ct => WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always, context.FileState), ct),
                    row == Checkpointing ? CheckpointEvery : 0);
                await using (target)
                {
                    ThroughputResult result = await ThroughputDriver.RunAsync(target, slice, cancellationToken);
                    Report.Progress($"    {Fmt.Rate(result.OpsPerSecond)} ops/s, p50 {Fmt.Latency(result.P50)}, p99 {Fmt.Latency(result.P99)}");
                    results[row].Add(result);
                }

                if (row != Aged)
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }

        var combined = rows.ToDictionary(r => r, r => ThroughputResult.Combine(results[r]));
        context.Report.Note($"\nThe aged log: {Fmt.Bytes(agedBytes)} of 1 KiB events in {segments} segments of 64 MiB, built under SyncPolicy.None " +
            $"by {Writers} streams (each with records in every segment, never checkpointed) and {Fmt.Count(FillerStreams)} others; " +
            $"{rounds} rounds (order rotating) of {Fmt.Latency(workload.Duration / rounds)} each; blocks: {context.FileState.ToString().ToLowerInvariant()}.\n");
        var table = new Table("log", "appends/s", "÷ fresh", "p50", "p99", "p99 ÷ p50", "appends/fsync", "CPU µs/append", "alloc B/append");
        foreach (string row in rows)
        {
            ThroughputResult r = combined[row];
            table.Add(
                row,
                Fmt.Rate(r.OpsPerSecond),
                Fmt.Ratio(r.OpsPerSecond, combined[Fresh].OpsPerSecond),
                Fmt.Latency(r.P50),
                Fmt.Latency(r.P99),
                Fmt.Ratio(r.P99?.TotalSeconds, r.P50?.TotalSeconds),
                r.AppendsPerFsync is { } a ? Fmt.Number(a) : "-",
                Fmt.Number(r.CpuMicrosecondsPerOp),
                Fmt.Number(r.AllocatedBytesPerOp, "0"));
        }

        context.Report.Print(table);
        foreach (string row in new[] { Fresh, Checkpointing })
        {
            PhaseBreakdown.Print(context.Report, row, combined[row]);
            TailBreakdown.Print(context.Report, row, combined[row]);
        }

        context.AddGoal(new GoalResult(
            $"aged {Fmt.Bytes(agedBytes)} log, 256 x 100 B: ≥ 90% of a fresh log",
            $"{Fmt.Rate(combined[Aged].OpsPerSecond)} ÷ {Fmt.Rate(combined[Fresh].OpsPerSecond)} appends/s = {Fmt.Ratio(combined[Aged].OpsPerSecond, combined[Fresh].OpsPerSecond)}",
            Goals.AtLeast(combined[Aged].OpsPerSecond / combined[Fresh].OpsPerSecond, 0.9)));
        foreach (string row in new[] { Fresh, Checkpointing })
        {
            ThroughputResult r = combined[row];
            context.AddGoal(new GoalResult(
                $"{row}, 256 x 100 B: append p99 ≤ 3× p50 across rotations{(row == Checkpointing ? " and checkpoints" : "")}",
                $"p99 {Fmt.Latency(r.P99)} ÷ p50 {Fmt.Latency(r.P50)} = {Fmt.Ratio(r.P99?.TotalSeconds, r.P50?.TotalSeconds)}",
                Goals.AtMost(r.P99?.TotalSeconds / r.P50?.TotalSeconds, 3)));
        }
    }

    /// <summary>The aged log's size: 1 GiB, 256 MiB with <c>--quick</c>.</summary>
    public static long AgedBytes(RunContext context) => (context.Quick ? 256L : 1024L) << 20;

    /// <summary>
    /// Appends rounds of one 16 x 1 KiB batch to each writer stream plus as many to filler streams, concurrently, until
    /// <paramref name="bytes"/> are written; returns the segment count. The <c>profile</c> scenario builds the same log.
    /// </summary>
    public static async Task<int> BuildAgedLogAsync(RunContext context, string dir, long bytes, CancellationToken cancellationToken)
    {
        byte[] payload = new byte[AgingEventBytes];
        new Random(7).NextBytes(payload);
        var batch = Enumerable.Repeat<ReadOnlyMemory<byte>>(payload, AgingBatch).ToArray();
        long perRound = 2L * Writers * AgingBatch * AgingEventBytes;
        long rounds = Math.Max(1, bytes / perRound);
        var versions = new long[Writers + FillerStreams];
        await using IEventLog log = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.None, context.FileState), cancellationToken);
        var tasks = new Task[2 * Writers];
        for (long round = 0; round < rounds; round++)
        {
            for (int i = 0; i < Writers; i++)
            {
                int filler = Writers + (int)((round * Writers + i) % FillerStreams);
                tasks[2 * i] = AppendAsync(log, i, $"s/{i}");
                tasks[(2 * i) + 1] = AppendAsync(log, filler, $"f/{filler}");
            }

            await Task.WhenAll(tasks);
        }

        // Durable before anything is measured: no write-back of the build's last bytes beside the first measured row.
        await log.FlushAsync(cancellationToken);
        return log.GetStatistics().SegmentCount;

        async Task AppendAsync(IEventLog target, int slot, string stream)
        {
            await target.AppendAsync(stream, versions[slot], batch, cancellationToken);
            versions[slot] += AgingBatch;
        }
    }
}
