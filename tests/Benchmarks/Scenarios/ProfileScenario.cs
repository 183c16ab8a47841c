using Actors.Benchmarks.Infrastructure;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Not part of <c>all</c>: one store alone under the throughput scenario's harness, file state and options, for a
/// profiler (<c>DOTNET_PerfMapEnabled=1</c>, then <c>perf record -g -p PID</c> on the process id it prints):
/// <c>-- profile --store wal|bare|fdatasync --writers N --bytes N --seconds N</c>. Prints the throughput row and the CPU
/// time of each thread (by name) per 1,000 acknowledged appends, so that the engine's writer and committer threads can
/// be set beside the bare group-commit loop's one thread and the writers' thread-pool continuations.
/// </summary>
internal sealed class ProfileScenario : IScenario
{
    public int Number => 13;

    public string Key => "profile";

    public string Title => "One store alone, for a profiler";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        string store = context.Args.Store switch
        {
            "wal" => Stores.Wal,
            "bare" => Stores.GroupCommit,
            "fdatasync" => Stores.DiskFDataSync,
            var other => throw new ArgumentException($"--store {other}: wal, bare or fdatasync"),
        };
        var workload = new Workload(context.Args.Writers ?? 256, context.Args.PayloadBytes ?? 100, context.Warmup, context.Window);
        Report.Progress($"profile: process id {Environment.ProcessId}; {store}, {workload.Writers} writers x {workload.PayloadBytes} B, " +
            $"{workload.Warmup.TotalSeconds:0.#} s warm-up + {workload.Duration.TotalSeconds:0.#} s, file state {context.FileState}");
        var sampler = new ThreadCpuSampler();
        Outcome outcome = await Stores.RunAsync(context, store, workload, cancellationToken);
        var threads = await sampler.StopAsync();

        var row = new Table("store", "writers", "event", "appends/s", "p50", "p99", "appends/fsync", "writes/fsync", "CPU µs/append", "alloc B/append");
        row.Add(
            store,
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

        // Threads are sampled over warm-up and window alike: per 1,000 appends at the window's rate over the whole run.
        double appends = outcome.Result is { } result ? result.OpsPerSecond * (workload.Warmup + workload.Duration).TotalSeconds : 0;
        context.Report.Note($"\nCPU per thread name over warm-up and window (10 ms ticks from /proc; per 1,000 appends estimated at the window's rate; load {File.ReadAllText("/proc/loadavg").Trim()}):\n");
        var table = new Table("thread", "threads", "CPU ms", "CPU ms per 1,000 appends");
        foreach ((string name, int count, double ms) in threads.Where(t => t.Milliseconds > 0))
        {
            table.Add(name, count.ToString(System.Globalization.CultureInfo.InvariantCulture), Fmt.Number(ms, "0"), appends > 0 ? Fmt.Number(ms * 1000 / appends, "0.00") : "-");
        }

        context.Report.Print(table);
    }
}
