using Actors.Benchmarks.Infrastructure;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 1: durable append throughput with 1, 16 and 256 concurrent writers on distinct streams, events of
/// 100 B and 1 KiB; the log under Always next to PostgreSQL, file-per-grain and a bare group-commit loop, then
/// the log under Interval and None.
/// </summary>
internal sealed class ThroughputScenario : IScenario
{
    private static readonly int[] WriterCounts = [1, 16, 256];
    private static readonly int[] PayloadSizes = [100, 1024];
    private static readonly string[] AlwaysStores = [Stores.Wal, Stores.Postgres, Stores.FilePerGrain, Stores.GroupCommit];

    public int Number => 1;

    public string Key => "throughput";

    public string Title => "Durable append throughput";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        DiskFigures disk = await context.GetDiskAsync(cancellationToken);
        var always = new Dictionary<(string Store, int Writers, int Size), Outcome>();
        var policies = new Dictionary<(SyncPolicy Policy, int Writers, int Size), Outcome>();
        // Largest first: the 256-writer 1 KiB runs sit right after the sequential-bandwidth measurement they are compared with.
        foreach (int size in PayloadSizes.Reverse())
        {
            foreach (int writers in WriterCounts.Reverse())
            {
                var workload = new Workload(writers, size, context.Warmup, context.Window);
                var runs = AlwaysStores.Select(store => new StoreRun(store, store, workload)).ToList();
                runs.Add(new StoreRun(nameof(SyncPolicy.Interval), Stores.Wal, workload, SyncPolicy.Interval));
                runs.Add(new StoreRun(nameof(SyncPolicy.None), Stores.Wal, workload, SyncPolicy.None));
                Dictionary<string, Outcome> outcomes = await Stores.RunInterleavedAsync(context, runs, context.Rounds, cancellationToken);
                foreach (string store in AlwaysStores)
                {
                    always[(store, writers, size)] = outcomes[store];
                }

                policies[(SyncPolicy.Always, writers, size)] = outcomes[Stores.Wal];
                policies[(SyncPolicy.Interval, writers, size)] = outcomes[nameof(SyncPolicy.Interval)];
                policies[(SyncPolicy.None, writers, size)] = outcomes[nameof(SyncPolicy.None)];
            }
        }

        PrintAbsolute(context, always);
        PrintRatios(context, always, disk);
        PrintPolicies(context, policies);
        AddGoals(context, always, disk);
    }

    private static void PrintAbsolute(RunContext context, Dictionary<(string Store, int Writers, int Size), Outcome> always)
    {
        context.Report.Note("\n1a. Acknowledged appends under each store's durable setting (WAL `Always`; PostgreSQL one INSERT per " +
            "transaction, synchronous_commit=on; file-per-grain temp+fsync+rename+fsync(dir); bare group commit: one write + fdatasync per group). " +
            "MB/s counts event payload bytes only. appends/fsync: from the store's own counters over the window (PostgreSQL: " +
            "pg_stat_database.xact_commit ÷ pg_stat_wal.wal_sync). CPU and allocations are this process's per acknowledged append " +
            "(harness included; PostgreSQL's server CPU is not in it).\n");
        var table = new Table("writers", "event", "store", "appends/s", "MB/s", "p50", "p99", "appends/fsync", "CPU µs/append", "alloc B/append");
        foreach ((string store, int writers, int size) in always.Keys.OrderBy(k => k.Size).ThenBy(k => k.Writers))
        {
            Outcome o = always[(store, writers, size)];
            table.Add(
                writers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Fmt.Bytes(size),
                store,
                o.Cell(r => Fmt.Rate(r.OpsPerSecond)),
                o.Cell(r => Fmt.MBps(r.BytesPerSecond)),
                o.Cell(r => Fmt.Latency(r.P50)),
                o.Cell(r => Fmt.Latency(r.P99)),
                o.Cell(r => r.AppendsPerFsync is { } a ? Fmt.Number(a) : "-"),
                o.Cell(r => Fmt.Number(r.CpuMicrosecondsPerOp)),
                o.Cell(r => Fmt.Number(r.AllocatedBytesPerOp, "0")));
        }

        context.Report.Print(table);
    }

    private static void PrintRatios(RunContext context, Dictionary<(string Store, int Writers, int Size), Outcome> always, DiskFigures disk)
    {
        context.Report.Note($"\n1b. Ratios, same run: WAL appends/s ÷ the peer's appends/s at the same writers and event size; " +
            $"the last column is WAL payload MB/s ÷ the disk's sequential durable write bandwidth ({Fmt.MBps(disk.SequentialBytesPerSecond)} MB/s: " +
            $"{Fmt.Bytes(disk.SequentialBytes)} in {Fmt.Bytes(disk.ChunkBytes)} writes, each + fdatasync). Every disk baseline and the " +
            $"engine's segments write on {disk.FileState.ToString().ToLowerInvariant()} blocks (--file-state).\n");
        var table = new Table("writers", "event", "WAL ÷ PostgreSQL", "WAL ÷ file-per-grain", "WAL ÷ bare group commit", "WAL MB/s ÷ disk sequential");
        foreach (int size in PayloadSizes)
        {
            foreach (int writers in WriterCounts)
            {
                Outcome wal = always[(Stores.Wal, writers, size)];
                table.Add(
                    writers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Fmt.Bytes(size),
                    Fmt.Ratio(wal.OpsPerSecond, always[(Stores.Postgres, writers, size)].OpsPerSecond),
                    Fmt.Ratio(wal.OpsPerSecond, always[(Stores.FilePerGrain, writers, size)].OpsPerSecond),
                    Fmt.Ratio(wal.OpsPerSecond, always[(Stores.GroupCommit, writers, size)].OpsPerSecond),
                    Fmt.Percent(wal.BytesPerSecond, disk.SequentialBytesPerSecond));
            }
        }

        context.Report.Print(table);
    }

    private static void PrintPolicies(RunContext context, Dictionary<(SyncPolicy Policy, int Writers, int Size), Outcome> policies)
    {
        context.Report.Note("\n1c. The log under each sync policy (Interval: fsync every 100 ms; None: the OS decides). Ratio: ÷ Always.\n");
        var table = new Table("writers", "event", "Always appends/s", "Interval appends/s", "None appends/s", "Interval ÷ Always", "None ÷ Always", "Interval p99", "None p99", "None CPU µs/append");
        foreach (int size in PayloadSizes)
        {
            foreach (int writers in WriterCounts)
            {
                Outcome a = policies[(SyncPolicy.Always, writers, size)];
                Outcome i = policies[(SyncPolicy.Interval, writers, size)];
                Outcome n = policies[(SyncPolicy.None, writers, size)];
                table.Add(
                    writers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Fmt.Bytes(size),
                    a.Cell(r => Fmt.Rate(r.OpsPerSecond)),
                    i.Cell(r => Fmt.Rate(r.OpsPerSecond)),
                    n.Cell(r => Fmt.Rate(r.OpsPerSecond)),
                    Fmt.Ratio(i.OpsPerSecond, a.OpsPerSecond),
                    Fmt.Ratio(n.OpsPerSecond, a.OpsPerSecond),
                    i.Cell(r => Fmt.Latency(r.P99)),
                    n.Cell(r => Fmt.Latency(r.P99)),
                    n.Cell(r => Fmt.Number(r.CpuMicrosecondsPerOp)));
            }
        }

        context.Report.Print(table);
    }

    private static void AddGoals(RunContext context, Dictionary<(string Store, int Writers, int Size), Outcome> always, DiskFigures disk)
    {
        Outcome wal1k = always[(Stores.Wal, 256, 1024)];
        Outcome pg1k = always[(Stores.Postgres, 256, 1024)];
        double? bwRatio = wal1k.BytesPerSecond / disk.SequentialBytesPerSecond;
        context.AddGoal(new GoalResult(
            $"256 writers, 1 KiB, Always: ≥ 80% of sequential durable write bandwidth ({disk.FileState.ToString().ToLowerInvariant()} blocks)",
            $"{wal1k.Cell(r => Fmt.MBps(r.BytesPerSecond))} MB/s ÷ {Fmt.MBps(disk.SequentialBytesPerSecond)} MB/s = {Fmt.Percent(wal1k.BytesPerSecond, disk.SequentialBytesPerSecond)}",
            Goals.AtLeast(bwRatio, 0.8)));
        double? pgRatio = wal1k.OpsPerSecond / pg1k.OpsPerSecond;
        context.AddGoal(new GoalResult(
            "256 writers, 1 KiB, Always: ≥ 20× PostgreSQL's rate",
            $"{wal1k.Cell(r => Fmt.Rate(r.OpsPerSecond))} ÷ {pg1k.Cell(r => Fmt.Rate(r.OpsPerSecond))} appends/s = {Fmt.Ratio(wal1k.OpsPerSecond, pg1k.OpsPerSecond)}",
            Goals.AtLeast(pgRatio, 20)));
        Outcome wal100 = always[(Stores.Wal, 256, 100)];
        context.AddGoal(new GoalResult(
            "256 writers, 100 B, Always: ≥ 500,000 appends/s (aim 1,000,000)",
            $"{wal100.Cell(r => Fmt.Rate(r.OpsPerSecond))} appends/s",
            Goals.AtLeast(wal100.OpsPerSecond, 500_000)));
        Outcome bare100 = always[(Stores.GroupCommit, 256, 100)];
        context.AddGoal(new GoalResult(
            $"256 writers, 100 B, Always: ≥ 90% of the bare group-commit loop ({disk.FileState.ToString().ToLowerInvariant()} blocks)",
            $"{wal100.Cell(r => Fmt.Rate(r.OpsPerSecond))} ÷ {bare100.Cell(r => Fmt.Rate(r.OpsPerSecond))} appends/s = {Fmt.Ratio(wal100.OpsPerSecond, bare100.OpsPerSecond)}",
            Goals.AtLeast(wal100.OpsPerSecond / bare100.OpsPerSecond, 0.9)));
        foreach (int size in PayloadSizes)
        {
            Outcome wal16 = always[(Stores.Wal, 16, size)];
            double? perFsync = wal16.Result?.AppendsPerFsync;
            context.AddGoal(new GoalResult(
                $"16 writers, {Fmt.Bytes(size)}, Always: ≥ 12 appends per fsync",
                perFsync is { } p ? $"{Fmt.Number(p)} appends/fsync" : wal16.Status,
                Goals.AtLeast(perFsync, 12)));
        }
    }
}
