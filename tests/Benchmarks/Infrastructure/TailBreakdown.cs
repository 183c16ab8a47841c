namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// Prints a row's p99 ÷ p50 beside its suspects (<see cref="TailFigures"/>): the store's commit fsyncs' own p99 ÷ p50, the
/// fsync-to-continuation gap, and the appends that spanned a garbage collection or the completion of a slow fsync, each
/// with its share of the appends above the row's p99. If the fsyncs alone show the ratio and the appends above the p99
/// are the ones that overlapped a slow fsync, the disk bounds the tail; if they are the ones that spanned a collection,
/// the collector does. A row added up from several rounds shows the highest of the rounds' slow-fsync thresholds.
/// </summary>
internal static class TailBreakdown
{
    public static void Print(Report report, string label, ThroughputResult result)
    {
        if (result.Tail is not { } tail || result.P50 is not { } p50 || result.P99 is not { } p99)
        {
            return;
        }

        long slowTotal = result.Latency.CountAbove(p99);
        report.Note($"\n{label}: what the tail could wait on (same window; GC: {tail.Gen0} gen0, {tail.Gen1} gen1, {tail.Gen2} gen2 collections, " +
            $"{tail.GcPause.TotalMilliseconds:0.0} ms paused in total):\n");
        var table = new Table("measured", "count", "p50", "p99", "p99 ÷ p50", "max", "appends above the row's p99");
        table.Add("appends (the row)", Fmt.Count(result.Latency.Count), Fmt.Latency(p50), Fmt.Latency(p99), Ratio(p50, p99), Max(result.Latency), Fmt.Count(slowTotal));
        Add(table, "commit fsyncs (the store's own)", tail.Fsyncs, null);
        Add(table, "fsync done → writer's continuation (engine: from the latest fsync's end, a lower bound)", tail.Wake, null);
        long slowGc = tail.SpannedGc.CountAbove(p99);
        Add(table, "appends that spanned a GC", tail.SpannedGc, $"{Fmt.Count(slowGc)} ({Fmt.Percent(slowGc, slowTotal)})");
        long slowFsync = tail.OverlappedSlowFsync.CountAbove(p99);
        Add(table, $"appends during which a slow fsync (> {Fmt.Latency(tail.SlowFsync)}, 3x the warm-up's p50) completed", tail.OverlappedSlowFsync, $"{Fmt.Count(slowFsync)} ({Fmt.Percent(slowFsync, slowTotal)})");
        report.Print(table);
    }

    private static void Add(Table table, string name, LatencyHistogram h, string? slow)
    {
        if (h.Count == 0)
        {
            table.Add(name, "0", "-", "-", "-", "-", slow ?? "-");
            return;
        }

        table.Add(name, Fmt.Count(h.Count), Fmt.Latency(h.Percentile(50)), Fmt.Latency(h.Percentile(99)), Ratio(h.Percentile(50), h.Percentile(99)), Max(h), slow ?? "-");
    }

    private static string Max(LatencyHistogram h) => Fmt.Latency(TimeSpan.FromSeconds((double)h.MaxTicks / System.Diagnostics.Stopwatch.Frequency));

    private static string Ratio(TimeSpan? p50, TimeSpan? p99) =>
        p50 is { Ticks: > 0 } a && p99 is { } b ? $"{b / a:0.00}x" : "-";
}
