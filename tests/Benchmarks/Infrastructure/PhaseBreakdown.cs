namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// Prints where a row's slow appends were: per <see cref="AppendPhase"/>, the appends, their p50 and p99, and how many of
/// the row's appends above its own p99 fell in that class (the class holding most of them is what bounds the p99).
/// </summary>
internal static class PhaseBreakdown
{
    public static void Print(Report report, string label, ThroughputResult result)
    {
        if (result.Phases is not { } phases || result.P99 is not { } p99 || result.Latency.Count == 0)
        {
            return;
        }

        long total = result.Latency.Count;
        long slowTotal = result.Latency.CountAbove(p99);
        report.Note($"\n{label}: appends by what they overlapped (p99 of the row {Fmt.Latency(p99)}; {Fmt.Count(slowTotal)} appends above it):\n");
        var table = new Table("overlapped", "appends", "share", "p50", "p99", "appends above the row's p99", "share of those");
        for (int p = 0; p < AppendPhases.Count; p++)
        {
            LatencyHistogram h = phases[p];
            long slow = h.CountAbove(p99);
            table.Add(
                AppendPhases.Label((AppendPhase)p),
                Fmt.Count(h.Count),
                Fmt.Percent(h.Count, total),
                Fmt.Latency(h.Percentile(50)),
                Fmt.Latency(h.Percentile(99)),
                Fmt.Count(slow),
                Fmt.Percent(slow, slowTotal));
        }

        report.Print(table);
    }
}
