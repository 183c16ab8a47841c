using Actors.Benchmarks.Infrastructure;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2: one writer, each append awaited before the next, under Always: latency p50/p99 next to the
/// disk's raw 4 KiB write + fdatasync (and + fsync) loop measured by this program on the same directory.
/// </summary>
internal sealed class LatencyScenario : IScenario
{
    public int Number => 2;

    public string Key => "latency";

    public string Title => "Single-writer durable append latency";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        // Measured again here, right before the stores, so that both see the machine in the same state.
        (ThroughputResult fdatasync, ThroughputResult fsync) = await context.MeasureSyncLoopsAsync(cancellationToken);
        long ops = context.Quick ? 1_000 : 5_000;
        var rows = new List<(string Name, string Event, Outcome Outcome)>
        {
            ("disk: write + fdatasync", "4.0 KiB", new Outcome(fdatasync, "ok")),
            ("disk: write + fsync (FlushToDisk)", "4.0 KiB", new Outcome(fsync, "ok")),
        };
        foreach (int size in new[] { 100, 1024 })
        {
            var workload = new Workload(1, size, TimeSpan.FromSeconds(0.3), context.Window, ops);
            foreach (string store in new[] { Stores.Wal, Stores.Postgres, Stores.FilePerGrain })
            {
                rows.Add((store == Stores.Wal ? "Actors WAL (Always)" : store, Fmt.Bytes(size), await Stores.RunAsync(context, store, workload, cancellationToken)));
            }
        }

        context.Report.Note($"\n{Fmt.Count(ops)} measured appends per row after a 0.3 s warm-up; ratios are ÷ the raw write + fdatasync figure.\n");
        var table = new Table("what", "event", "p50", "p99", "appends/s", "p50 ÷ fdatasync p50", "p99 ÷ fdatasync p99");
        foreach ((string name, string size, Outcome o) in rows)
        {
            table.Add(
                name,
                size,
                o.Cell(r => Fmt.Latency(r.P50)),
                o.Cell(r => Fmt.Latency(r.P99)),
                o.Cell(r => Fmt.Rate(r.OpsPerSecond)),
                Fmt.Ratio(o.P50?.TotalSeconds, fdatasync.P50?.TotalSeconds),
                Fmt.Ratio(o.P99?.TotalSeconds, fdatasync.P99?.TotalSeconds));
        }

        context.Report.Print(table);
        Outcome wal = rows.First(r => r.Name.StartsWith(Stores.Wal, StringComparison.Ordinal) && r.Event == Fmt.Bytes(100)).Outcome;
        double? ratio = wal.P50?.TotalSeconds / fdatasync.P50?.TotalSeconds;
        context.AddGoal(new GoalResult(
            "single writer, Always: p50 ≤ 1.2× raw fdatasync p50",
            $"{wal.Cell(r => Fmt.Latency(r.P50))} vs {Fmt.Latency(fdatasync.P50)} = {Fmt.Ratio(wal.P50?.TotalSeconds, fdatasync.P50?.TotalSeconds)} (100 B events)",
            Goals.AtMost(ratio, 1.2)));
    }
}
