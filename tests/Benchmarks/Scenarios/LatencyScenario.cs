using Actors.Benchmarks.Infrastructure;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2: one writer, each append awaited before the next, under Always: latency p50/p99 next to the
/// disk's raw 4 KiB write + fdatasync (and + fsync) loop measured by this program on the same directory, in
/// alternating rounds so that all rows see the shared machine in the same states.
/// </summary>
internal sealed class LatencyScenario : IScenario
{
    private const int Rounds = 5;

    public int Number => 2;

    public string Key => "latency";

    public string Title => "Single-writer durable append latency";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        long ops = context.Quick ? 1_000 : 5_000;
        var warmup = TimeSpan.FromSeconds(0.2);
        var runs = new List<StoreRun>
        {
            new(Stores.DiskFDataSync, Stores.DiskFDataSync, new Workload(1, 4096, warmup, context.Window, ops)),
            new(Stores.DiskFSync, Stores.DiskFSync, new Workload(1, 4096, warmup, context.Window, ops)),
            new(Stores.GroupCommit, Stores.GroupCommit, new Workload(1, 100, warmup, context.Window, ops)),
        };
        foreach (int size in new[] { 100, 1024 })
        {
            foreach (string store in new[] { Stores.Wal, Stores.Postgres, Stores.FilePerGrain })
            {
                runs.Add(new StoreRun($"{store}/{size}", store, new Workload(1, size, warmup, context.Window, ops)));
            }
        }

        Dictionary<string, Outcome> outcomes = await Stores.RunInterleavedAsync(context, runs, Rounds, cancellationToken);
        Outcome fdatasync = outcomes[Stores.DiskFDataSync];
        context.Report.Note($"\n{Fmt.Count(ops)} measured appends per row, in {Rounds} alternating rounds (each after a 0.2 s warm-up); " +
            "ratios are ÷ the raw 4 KiB write + fdatasync loop. The bare group-commit row issues the same system calls (write + " +
            "fdatasync) from a commit thread that the caller hands each append to, as the log does; on a machine whose cores are " +
            "busy, a thread that goes straight from one fdatasync to the next has been seen to wait milliseconds for a core after " +
            "each, so compare with both rows.\n");
        var table = new Table("what", "event", "p50", "p99", "appends/s", "p50 ÷ fdatasync p50", "p99 ÷ fdatasync p99");
        foreach (StoreRun run in runs)
        {
            Outcome o = outcomes[run.Key];
            table.Add(
                run.Store == Stores.Wal ? Stores.WalLabel(run.Policy) : run.Store,
                Fmt.Bytes(run.Workload.PayloadBytes),
                o.Cell(r => Fmt.Latency(r.P50)),
                o.Cell(r => Fmt.Latency(r.P99)),
                o.Cell(r => Fmt.Rate(r.OpsPerSecond)),
                Fmt.Ratio(o.P50?.TotalSeconds, fdatasync.P50?.TotalSeconds),
                Fmt.Ratio(o.P99?.TotalSeconds, fdatasync.P99?.TotalSeconds));
        }

        context.Report.Print(table);
        Outcome wal = outcomes[$"{Stores.Wal}/100"];
        Outcome bare = outcomes[Stores.GroupCommit];
        double? ratio = wal.P50?.TotalSeconds / fdatasync.P50?.TotalSeconds;
        context.AddGoal(new GoalResult(
            "single writer, Always: p50 ≤ 1.2× raw fdatasync p50",
            $"{wal.Cell(r => Fmt.Latency(r.P50))} vs {fdatasync.Cell(r => Fmt.Latency(r.P50))} = {Fmt.Ratio(wal.P50?.TotalSeconds, fdatasync.P50?.TotalSeconds)} (100 B events); " +
            $"vs the bare group-commit loop's {bare.Cell(r => Fmt.Latency(r.P50))}: {Fmt.Ratio(wal.P50?.TotalSeconds, bare.P50?.TotalSeconds)}",
            Goals.AtMost(ratio, 1.2)));
    }
}
