using System.Diagnostics;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Peers;
using Actors.Benchmarks.Wal;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Not part of <c>all</c>: one store alone under the throughput scenario's harness, file state and options, for a
/// profiler (<c>DOTNET_PerfMapEnabled=1</c>, then <c>perf record -g -p PID</c> on the process id it prints):
/// <c>-- profile --store wal|journal|bare|fdatasync --writers N --bytes N --seconds N [--passes N]</c>. Prints the throughput row and the CPU
/// time of each thread (by name) per 1,000 acknowledged appends, so that the engine's writer and committer threads can
/// be set beside the bare group-commit loop's one thread and the writers' thread-pool continuations.
/// </summary>
/// <remarks>
/// With <c>--aged</c> (the engine only) it first builds the aged log of scenario 7 (<see cref="AgedLogScenario"/>: 1 GiB,
/// 256 MiB with <c>--quick</c>), then runs a 2 s warm-up on a fresh log (not recorded: the JIT's tiering settles) and two
/// phases in this one process, each announced by its own <c>profile: phase NAME: process id PID</c> line before its
/// warm-up: the same workload on a fresh log, then on the aged log (the writers' streams continue the aged streams
/// <c>s/0</c>..). <c>scripts/engine-profile.sh</c> records each phase
/// into its own perf file.
/// </remarks>
internal sealed class ProfileScenario : IScenario
{
    public int Number => 13;

    public string Key => "profile";

    public string Title => "One store alone, for a profiler";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Args.Store == "cores")
        {
            Console.WriteLine($"core round trip: {CoreRoundTrip.Describe()}");
            return;
        }

        if (context.Args.Store == "crc32c")
        {
            Crc32CTiming.Print();
            return;
        }

        if (context.Args.Store == "sequential")
        {
            PrintSequentialByChunk(context);
            return;
        }

        string store = context.Args.Store switch
        {
            "wal" => Stores.Wal,
            "journal" => Stores.Journal,
            "bare" => Stores.GroupCommit,
            "fdatasync" => Stores.DiskFDataSync,
            var other => throw new ArgumentException($"--store {other}: wal, journal, bare, fdatasync, sequential, cores or crc32c"),
        };
        var workload = new Workload(context.Args.Writers ?? 256, context.Args.PayloadBytes ?? 100, context.Warmup, context.Window);
        if (!context.Args.Aged)
        {
            // Pass 1 keeps the bare label (scripts read the first row); later passes say which they are.
            for (int pass = 1; pass <= context.Args.Passes; pass++)
            {
                string label = pass == 1 ? store : $"{store}, pass {pass} of {context.Args.Passes} in this process";
                await RunPhaseAsync(context, pass == 1 ? store : $"{store}-pass-{pass}", label, workload, () => Stores.RunAsync(context, store, workload, cancellationToken));
            }

            return;
        }

        if (store != Stores.Wal || workload.Writers > AgedLogScenario.Writers)
        {
            throw new ArgumentException($"--aged profiles the engine (--store wal) with at most {AgedLogScenario.Writers} writers.");
        }

        long agedBytes = AgedLogScenario.AgedBytes(context);
        string agedDir = context.NewDirectory("aged");
        var build = Stopwatch.StartNew();
        int segments = await AgedLogScenario.BuildAgedLogAsync(context, agedDir, agedBytes, cancellationToken);
        Report.Progress($"profile: aged log built: {Fmt.Bytes(agedBytes)} in {segments} segments, {build.Elapsed.TotalSeconds:0.0} s");
        // Unrecorded: the JIT's tiering settles here, not in the first recorded phase.
        Workload warmup = workload with { Duration = TimeSpan.FromSeconds(2) };
        await RunPhaseAsync(context, "warmup", $"{store}, fresh log (warm-up, not recorded)", warmup, () => Stores.RunAsync(context, store, warmup, cancellationToken));
        await RunPhaseAsync(context, "fresh", $"{store}, fresh log", workload, () => Stores.RunAsync(context, store, workload, cancellationToken));
        await RunPhaseAsync(context, "aged", $"{store}, aged log ({Fmt.Bytes(agedBytes)}, {segments} segments)", workload, () => RunAgedAsync(context, agedDir, workload, cancellationToken));
    }

    private static async Task<Outcome> RunAgedAsync(RunContext context, string dir, Workload workload, CancellationToken cancellationToken)
    {
        var target = new WalTarget("aged log", ct => WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always, context.FileState), ct));
        await using (target)
        {
            ThroughputResult result = await ThroughputDriver.RunAsync(target, workload, cancellationToken);
            Report.Progress($"    {Fmt.Rate(result.OpsPerSecond)} ops/s, p50 {Fmt.Latency(result.P50)}, p99 {Fmt.Latency(result.P99)}");
            return new Outcome(result, "ok");
        }
    }

    /// <summary>Announces a phase (the profiler script waits for this line), runs it and prints its row and CPU per thread.</summary>
    private static async Task RunPhaseAsync(RunContext context, string phase, string label, Workload workload, Func<Task<Outcome>> run)
    {
        string roundTripBefore = CoreRoundTrip.Describe();
        Report.Progress($"profile: phase {phase}: process id {Environment.ProcessId}; {label}, {workload.Writers} writers x {workload.PayloadBytes} B, " +
            $"{workload.Warmup.TotalSeconds:0.#} s warm-up + {workload.Duration.TotalSeconds:0.#} s, file state {context.FileState}" +
            (context.Args.CheckpointEvery is > 0 and int every ? $", a checkpoint every {every} appends per stream (engine)" : "") + $"; load {Load()}");
        var sampler = new ThreadCpuSampler();
        Outcome outcome = await run();
        var threads = await sampler.StopAsync();
        context.Report.Note($"\n{label}: core round trip (core 0 → 1 → 0, one cache line) before the run {roundTripBefore}, after it {CoreRoundTrip.Describe()}\n");

        context.Report.Note($"\n{label}:\n");
        var row = new Table("store", "writers", "event", "appends/s", "p50", "p99", "appends/fsync", "writes/fsync", "CPU µs/append", "alloc B/append");
        row.Add(
            label,
            workload.Writers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Fmt.Bytes(workload.PayloadBytes),
            outcome.Cell(r => Fmt.Rate(r.OpsPerSecond)),
            outcome.Cell(r => Fmt.Latency(r.P50)),
            outcome.Cell(r => Fmt.Latency(r.P99)),
            outcome.Cell(r => r.AppendsPerFsync is { } a ? Fmt.Number(a) : "-"),
            outcome.Cell(r => r.Counters is { Fsyncs: > 0 } c ? Fmt.Number((double)c.Commits / c.Fsyncs) : "-"),
            outcome.Cell(r => Fmt.Number(r.CpuMicrosecondsPerOp)),
            outcome.Cell(r => Fmt.Number(r.AllocatedBytesPerOp, "0")));
        context.Report.Print(row);
        if (outcome.Result is { } measured)
        {
            PhaseBreakdown.Print(context.Report, label, measured);
            TailBreakdown.Print(context.Report, label, measured);
            if (measured.CommitCycle is { } cycle)
            {
                context.Report.Note($"\n{label}: the committer's commit cycle, mean per commit over the window ({Fmt.Number(cycle.Commits, "0")} commits):\n");
                var phases = new Table([.. CommitCycles.Phases.Select(p => $"{p} µs"), "cycle µs"]);
                phases.Add([.. cycle.MeanMicroseconds.Select(m => Fmt.Number(m, "0.0")), Fmt.Number(cycle.MeanMicroseconds.Sum(), "0.0")]);
                context.Report.Print(phases);
            }
        }

        // Threads are sampled over warm-up and window alike: per 1,000 appends at the window's rate over the whole run.
        double appends = outcome.Result is { } result ? result.OpsPerSecond * (workload.Warmup + workload.Duration).TotalSeconds : 0;
        context.Report.Note($"\nCPU per thread name over warm-up and window (10 ms ticks from /proc; per 1,000 appends estimated at the window's rate; load {Load()}):\n");
        var table = new Table("thread", "threads", "CPU ms", "CPU ms per 1,000 appends");
        foreach ((string name, int count, double ms) in threads.Where(t => t.Milliseconds > 0))
        {
            table.Add(name, count.ToString(System.Globalization.CultureInfo.InvariantCulture), Fmt.Number(ms, "0"), appends > 0 ? Fmt.Number(ms * 1000 / appends, "0.00") : "-");
        }

        context.Report.Print(table);
    }

    /// <summary>
    /// <c>--store sequential</c>: the sequential durable write (each chunk + fdatasync, the file prepared in the run's file
    /// state) at several chunk sizes, one after the other, so that the bytes a group commit syncs per fdatasync can be set
    /// beside the bandwidth a writer syncing that many bytes at a time gets (the throughput scenario's denominator uses
    /// 256 KiB chunks). 64 MiB per chunk size (256 MiB without <c>--quick</c>).
    /// </summary>
    private static void PrintSequentialByChunk(RunContext context)
    {
        long bytes = (context.Quick ? 64L : 256L) * 1024 * 1024;
        var table = new Table("chunk per fdatasync", "MB/s", "fdatasyncs/s", "µs per chunk", "load");
        foreach (int kib in new[] { 16, 32, 64, 128, 192, 256, 512 })
        {
            string dir = context.NewDirectory($"sequential-{kib}k");
            double rate = RunContext.SequentialDurableWrite(Path.Combine(dir, "sequential.bin"), bytes, kib * 1024, context.FileState);
            Directory.Delete(dir, recursive: true);
            double syncs = rate / (kib * 1024.0);
            table.Add($"{kib} KiB", Fmt.MBps(rate), Fmt.Number(syncs, "0"), Fmt.Number(1e6 / syncs, "0"), Load());
        }

        context.Report.Note($"\nSequential durable write by chunk size ({context.FileState.ToString().ToLowerInvariant()} blocks, {Fmt.Bytes(bytes)} each):\n");
        context.Report.Print(table);
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Trim();
}
