using System.Diagnostics;
using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Machine;

namespace Actors.Orleans.Benchmarks.Measurement;

/// <summary>
/// Closed-loop callers, one per grain: each awaits its call, then makes the next. Calls run through an untimed warm-up,
/// then a measured period; a call counts when it completes inside the period (its latency with it). A failed call fails
/// the round: a benchmark that swallowed errors would report the speed of failing.
/// </summary>
public static class ClosedLoopRunner
{
    public static async Task<CallRound> RunAsync(IReadOnlyList<IBenchGrain> grains, byte[] payload, TimeSpan warmup, TimeSpan measured)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(payload);
        long start = Stopwatch.GetTimestamp();
        long measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        long measureUntil = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var callers = new Task<(long Calls, LatencyHistogram Latencies)>[grains.Count];
        for (int i = 0; i < grains.Count; i++)
        {
            IBenchGrain grain = grains[i];
            callers[i] = Task.Run(() => CallUntilAsync(grain, payload, measureFrom, measureUntil));
        }

        Task<(long Allocated, TimeSpan Cpu)> spent = SpentBetweenAsync(measureFrom, measureUntil);
        (long Calls, LatencyHistogram Latencies)[] results = await Task.WhenAll(callers);
        LoadAverage load = LoadAverage.Read();
        var latencies = new LatencyHistogram();
        long calls = 0;
        foreach ((long callerCalls, LatencyHistogram callerLatencies) in results)
        {
            calls += callerCalls;
            latencies.Add(callerLatencies);
        }

        (long allocated, TimeSpan cpu) = await spent;
        return new CallRound(calls, measured.TotalSeconds, latencies, load, allocated, cpu);
    }

    /// <summary>The process's allocated bytes and CPU time (user + system, all threads) between two stopwatch timestamps (read when each passes).</summary>
    private static async Task<(long Allocated, TimeSpan Cpu)> SpentBetweenAsync(long from, long until)
    {
        await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), from) is { Ticks: > 0 } wait ? wait : TimeSpan.Zero);
        long before = GC.GetTotalAllocatedBytes(precise: false);
        TimeSpan cpuBefore = ProcessCpu();
        await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until) is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        return (GC.GetTotalAllocatedBytes(precise: false) - before, ProcessCpu() - cpuBefore);
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static async Task<(long Calls, LatencyHistogram Latencies)> CallUntilAsync(
        IBenchGrain grain, byte[] payload, long measureFrom, long measureUntil)
    {
        var latencies = new LatencyHistogram();
        long calls = 0;
        while (true)
        {
            long before = Stopwatch.GetTimestamp();
            if (before >= measureUntil)
            {
                return (calls, latencies);
            }

            await grain.Write(payload);
            long after = Stopwatch.GetTimestamp();
            if (after >= measureFrom && after < measureUntil)
            {
                calls++;
                latencies.RecordTicks(after - before);
            }
        }
    }
}
