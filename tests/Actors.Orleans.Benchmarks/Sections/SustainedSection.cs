using System.Diagnostics;
using System.Globalization;
using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Measurement;
using Actors.Orleans.Benchmarks.Reporting;
using Actors.Orleans.Benchmarks.Variants;
using Actors.Wal;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>
/// Issue 65: the chosen variants in turn, one window each (<c>--window-seconds</c>), for <c>--minutes</c>: every window's
/// calls/s, p50 and p99 with the load average, and what the log did in it (its files and bytes, bytes appended, bytes
/// compaction copied forward and their ratio to the appended ones, space passes and their time, segments compacted,
/// deleted and left in place, fsyncs) and the collections the runtime ran. Each window is printed as it ends.
/// </summary>
public static class SustainedSection
{
    private const double MiB = 1024 * 1024;

    private static readonly string[] Columns =
    [
        "window", "t (s)", "variant", "calls/s", "p50", "p99", "load 1m", "log files", "log MiB", "live MiB",
        "appended MiB", "copied MiB", "copied ÷ appended", "refused MiB", "passes", "pass ms", "compacted", "deleted",
        "left (cost)", "fsyncs", "fsync p50", "fsync p99", "commit s linger/write/fsync/publish", "gc 0/1/2", "gc pause ms",
    ];

    public static async Task RunAsync(BenchContext context, Func<LogStatistics?> logStatistics, string? logDirectory)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logStatistics);
        IReadOnlyList<BenchVariant> variants = context.Options.Variants;
        var grains = variants.ToDictionary(v => v, v => context.GrainRange(v.GrainType, 1_000_000, context.Options.Callers));
        foreach (BenchVariant variant in variants)
        {
            BenchContext.Progress($"sustained: activating {grains[variant].Count} grains of {variant.Key} (first write, untimed)");
            await Task.WhenAll(grains[variant].Select(g => g.Write(context.Payload)));
        }

        TextWriter output = context.Output;
        TimeSpan window = TimeSpan.FromSeconds(context.Options.WindowSeconds);
        output.WriteLine($"### Sustained: {context.Options.Callers} closed-loop callers, one grain each, {context.Options.PayloadBytes} B per write, {context.Options.SustainedMinutes:0.#} minutes of {window.TotalSeconds:0.#}-s windows, the variants in turn");
        output.WriteLine();
        output.WriteLine("Log columns are what the log did during the window (its files and bytes at its end); copied: framed bytes of compaction's copies; refused: copies read and prepared that the writer refused; left (cost): sparse segments left in place because copying their streams would write more than deleting them frees. fsync p50/p99: the log's fsyncs in the window; commit s: the committer's seconds lingering for more callers, writing, in fsync and publishing (from the log's actors.wal.commit.phase.duration): a slow window with slow fsyncs was held by the disk.");
        output.WriteLine();
        await WarmUpAsync(context, variants, grains);
        using var commits = new CommitTimes();
        output.WriteLine(Header());
        using StreamWriter? csv = context.Options.CsvPath is { } path ? new StreamWriter(path) : null;
        csv?.WriteLine("window,seconds,variant,calls_per_s,p50_ms,p99_ms,load1,log_files,log_mib,live_mib,appended_mib,copied_mib,copied_ratio,refused_mib,passes,pass_ms,compacted,deleted,left_cost,fsyncs,fsync_p50_ms,fsync_p99_ms,commit_linger_s,commit_write_s,commit_fsync_s,commit_publish_s,gc0,gc1,gc2,gc_pause_ms");
        var results = variants.ToDictionary(v => v, _ => new List<CallRound>());
        long started = Stopwatch.GetTimestamp();
        MaintenanceSample before = MaintenanceSample.Take(logStatistics, logDirectory);
        commits.TakeWindow();
        for (int index = 0; Stopwatch.GetElapsedTime(started).TotalMinutes < context.Options.SustainedMinutes; index++)
        {
            BenchVariant variant = variants[index % variants.Count];
            CallRound round = await ClosedLoopRunner.RunAsync(grains[variant], context.Payload, TimeSpan.Zero, window);
            MaintenanceSample after = MaintenanceSample.Take(logStatistics, logDirectory);
            CommitWindow committed = commits.TakeWindow();
            results[variant].Add(round);
            string[] cells = Cells(index + 1, Stopwatch.GetElapsedTime(started).TotalSeconds, variant, round, before, after, committed);
            output.WriteLine(Row(cells));
            output.Flush();
            csv?.WriteLine(string.Join(',', CsvCells(index + 1, Stopwatch.GetElapsedTime(started).TotalSeconds, variant, round, before, after, committed)));
            csv?.Flush();
            before = after;
        }

        output.WriteLine();
        WriteSummary(output, variants, results);
    }

    /// <summary>
    /// Each variant once for <c>--sustained-warmup</c> seconds before the timed windows (JIT tiering, the first segments
    /// and spares, the grains' first checkpoints), printed and counted in no window or summary.
    /// </summary>
    private static async Task WarmUpAsync(BenchContext context, IReadOnlyList<BenchVariant> variants, Dictionary<BenchVariant, IReadOnlyList<IBenchGrain>> grains)
    {
        TimeSpan warmUp = TimeSpan.FromSeconds(context.Options.SustainedWarmupSeconds);
        if (warmUp <= TimeSpan.Zero)
        {
            return;
        }

        foreach (BenchVariant variant in variants)
        {
            CallRound round = await ClosedLoopRunner.RunAsync(grains[variant], context.Payload, TimeSpan.Zero, warmUp);
            context.Output.WriteLine(Fmt.Invariant($"Warm-up, not counted: {variant.Key} {round.CallsPerSecond:0} calls/s over {warmUp.TotalSeconds:0.#} s (p99 {round.P99Nanoseconds / 1e6:0.00} ms)."));
        }

        context.Output.WriteLine();
    }

    private static void WriteSummary(TextWriter output, IReadOnlyList<BenchVariant> variants, Dictionary<BenchVariant, List<CallRound>> results)
    {
        var summary = new MarkdownTable("variant", "windows", "median calls/s", "worst window", "worst ÷ median", "median p99", "worst p99", "÷ memory (medians)");
        foreach (BenchVariant variant in variants)
        {
            List<CallRound> rounds = results[variant];
            if (rounds.Count == 0)
            {
                continue;
            }

            double median = Statistics.Median(rounds.Select(r => r.CallsPerSecond));
            double worst = rounds.Min(r => r.CallsPerSecond);
            BenchVariant? ceiling = variant == VariantCatalog.WalJournaled ? VariantCatalog.MemoryJournaled
                : variant == VariantCatalog.WalState ? VariantCatalog.MemoryState : null;
            string ratio = ceiling is not null && results.TryGetValue(ceiling, out List<CallRound>? memory) && memory.Count > 0
                ? Fmt.Invariant($"{median / Statistics.Median(memory.Select(r => r.CallsPerSecond)):0.00}×")
                : "-";
            summary.Add(variant.Title, Fmt.Count(rounds.Count), Fmt.Rate(median), Fmt.Rate(worst), Fmt.Invariant($"{worst / median:0.00}"),
                Fmt.Duration(Statistics.Median(rounds.Select(r => r.P99Nanoseconds))), Fmt.Duration(rounds.Max(r => r.P99Nanoseconds)), ratio);
        }

        output.WriteLine("Per variant over the run:");
        output.WriteLine();
        output.WriteLine(summary);
    }

    private static string[] Cells(int index, double seconds, BenchVariant variant, CallRound round, MaintenanceSample before, MaintenanceSample after, CommitWindow committed)
    {
        string[] log = LogCells(before, after, csv: false);
        return
        [
            Fmt.Count(index), Fmt.Invariant($"{seconds:0}"), variant.Key, Fmt.Rate(round.CallsPerSecond), Fmt.Duration(round.P50Nanoseconds),
            Fmt.Duration(round.P99Nanoseconds), Fmt.Invariant($"{round.Load.OneMinute:0.00}"), .. log,
            committed.Fsyncs.Count == 0 ? "-" : Fmt.Duration(committed.Fsyncs.Percentile(0.50)),
            committed.Fsyncs.Count == 0 ? "-" : Fmt.Duration(committed.Fsyncs.Percentile(0.99)),
            string.Join('/', committed.PhaseSeconds.Select(p => Fmt.Invariant($"{p:0.0}"))),
            Fmt.Invariant($"{after.Gen0 - before.Gen0}/{after.Gen1 - before.Gen1}/{after.Gen2 - before.Gen2}"),
            Fmt.Invariant($"{(after.GcPause - before.GcPause).TotalMilliseconds:0}"),
        ];
    }

    private static string[] CsvCells(int index, double seconds, BenchVariant variant, CallRound round, MaintenanceSample before, MaintenanceSample after, CommitWindow committed)
    {
        string[] log = LogCells(before, after, csv: true);
        return
        [
            index.ToString(CultureInfo.InvariantCulture), Fmt.Invariant($"{seconds:0.0}"), variant.Key, Fmt.Invariant($"{round.CallsPerSecond:0}"),
            Fmt.Invariant($"{round.P50Nanoseconds / 1e6:0.000}"), Fmt.Invariant($"{round.P99Nanoseconds / 1e6:0.000}"),
            Fmt.Invariant($"{round.Load.OneMinute:0.00}"), .. log,
            committed.Fsyncs.Count == 0 ? "" : Fmt.Invariant($"{committed.Fsyncs.Percentile(0.50) / 1e6:0.000}"),
            committed.Fsyncs.Count == 0 ? "" : Fmt.Invariant($"{committed.Fsyncs.Percentile(0.99) / 1e6:0.000}"),
            .. committed.PhaseSeconds.Select(p => Fmt.Invariant($"{p:0.000}")),
            (after.Gen0 - before.Gen0).ToString(CultureInfo.InvariantCulture), (after.Gen1 - before.Gen1).ToString(CultureInfo.InvariantCulture),
            (after.Gen2 - before.Gen2).ToString(CultureInfo.InvariantCulture), Fmt.Invariant($"{(after.GcPause - before.GcPause).TotalMilliseconds:0}"),
        ];
    }

    /// <summary>The log's columns: what it did between the two samples (its size at the second).</summary>
    private static string[] LogCells(MaintenanceSample before, MaintenanceSample after, bool csv)
    {
        if (before.Log is not { } a || after.Log is not { } b)
        {
            return csv ? ["", "", "", "", "", "", "", "", "", "", "", "", ""] : ["-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"];
        }

        long appended = b.AppendedBytes - a.AppendedBytes;
        long copied = b.CompactionBytesCopied - a.CompactionBytesCopied;
        string ratio = appended > 0 ? Fmt.Invariant($"{(double)copied / appended:0.000}") : csv ? "" : "-";
        return
        [
            b.SegmentCount.ToString(CultureInfo.InvariantCulture), Fmt.Invariant($"{after.DirectoryBytes / MiB:0}"), Fmt.Invariant($"{b.LiveBytes / MiB:0}"),
            Fmt.Invariant($"{appended / MiB:0.0}"), Fmt.Invariant($"{copied / MiB:0.0}"), ratio,
            Fmt.Invariant($"{(b.CompactionBytesRefused - a.CompactionBytesRefused) / MiB:0.0}"),
            (b.SpacePasses - a.SpacePasses).ToString(CultureInfo.InvariantCulture), Fmt.Invariant($"{(b.SpacePassTime - a.SpacePassTime).TotalMilliseconds:0}"),
            (b.SegmentsCompacted - a.SegmentsCompacted).ToString(CultureInfo.InvariantCulture), (b.SegmentsDeleted - a.SegmentsDeleted).ToString(CultureInfo.InvariantCulture),
            (b.SegmentsLeftForCopyCost - a.SegmentsLeftForCopyCost).ToString(CultureInfo.InvariantCulture), (b.Fsyncs - a.Fsyncs).ToString(CultureInfo.InvariantCulture),
        ];
    }

    private static string Header() => Row(Columns) + Environment.NewLine + Row(Columns.Select(c => new string('-', c.Length)).ToArray());

    private static string Row(string[] cells) => "| " + string.Join(" | ", cells) + " |";
}
