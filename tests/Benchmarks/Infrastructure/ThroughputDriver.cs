using System.Diagnostics;
using Actors.Benchmarks.Peers;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// Runs N concurrent writers against an <see cref="IAppendTarget"/>: each writer awaits its append, then issues
/// the next (a closed loop, like grains each waiting for their own confirmation). After a warm-up it counts the
/// appends that both started and were acknowledged inside the measured window and records each one's latency.
/// </summary>
internal static class ThroughputDriver
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);

    public static async Task<ThroughputResult> RunAsync(IAppendTarget target, Workload workload, CancellationToken cancellationToken)
    {
        await target.PrepareAsync(workload.Writers, cancellationToken);

        var window = new Window();
        var histograms = new LatencyHistogram[workload.Writers];
        var phaseHistograms = new LatencyHistogram[workload.Writers][];
        var writers = new Task[workload.Writers];
        var random = new Random(20261121);
        for (int w = 0; w < workload.Writers; w++)
        {
            histograms[w] = new LatencyHistogram();
            phaseHistograms[w] = NewPhaseHistograms();
            byte[] payload = new byte[workload.PayloadBytes];
            random.NextBytes(payload);
            int writer = w;
            LatencyHistogram histogram = histograms[w];
            LatencyHistogram[] phases = phaseHistograms[w];
            writers[w] = target.IsBlocking
                ? RunOnOwnThread(() => WriteLoopAsync(target, writer, payload, window, histogram, phases, workload.MeasuredOpsPerWriter, cancellationToken))
                : Task.Run(() => WriteLoopAsync(target, writer, payload, window, histogram, phases, workload.MeasuredOpsPerWriter, cancellationToken), cancellationToken);
        }

        Task all = Task.WhenAll(writers);
        await Task.WhenAny(Task.Delay(workload.Warmup, cancellationToken), all);
        ThrowIfFaulted(all);

        SyncCounters? before = await target.ReadCountersAsync(cancellationToken);
        using Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        long start = Stopwatch.GetTimestamp();
        window.Open(start);
        long end;
        if (workload.MeasuredOpsPerWriter is null)
        {
            await Task.WhenAny(Task.Delay(workload.Duration, cancellationToken), all);
            ThrowIfFaulted(all);
            end = Stopwatch.GetTimestamp();
            window.Close(end);
        }
        else
        {
            await all;
            end = Stopwatch.GetTimestamp();
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        self.Refresh();
        TimeSpan cpu = self.TotalProcessorTime - cpuBefore;
        SyncCounters? after = await target.ReadCountersAsync(cancellationToken);
        window.Stop();
        if (await Task.WhenAny(all, Task.Delay(DrainTimeout, cancellationToken)) != all)
        {
            throw new TimeoutException($"{target.Name}: writers did not finish their last append within {DrainTimeout.TotalSeconds} s after the window closed.");
        }

        await all;
        var merged = new LatencyHistogram();
        foreach (LatencyHistogram h in histograms)
        {
            merged.Add(h);
        }

        LatencyHistogram[] mergedPhases = NewPhaseHistograms();
        foreach (LatencyHistogram[] writerPhases in phaseHistograms)
        {
            for (int p = 0; p < AppendPhases.Count; p++)
            {
                mergedPhases[p].Add(writerPhases[p]);
            }
        }

        SyncCounters? delta = before is { } b && after is { } a ? a - b : null;
        return new ThroughputResult(target.Name, workload, merged.Count, Stopwatch.GetElapsedTime(start, end), merged, delta)
        {
            ProcessCpu = cpu,
            AllocatedBytes = allocated,
            Phases = mergedPhases,
        };
    }

    private static LatencyHistogram[] NewPhaseHistograms() => Enumerable.Range(0, AppendPhases.Count).Select(_ => new LatencyHistogram()).ToArray();

    private static async Task WriteLoopAsync(
        IAppendTarget target,
        int writer,
        byte[] payload,
        Window window,
        LatencyHistogram histogram,
        LatencyHistogram[] phases,
        long? quota,
        CancellationToken cancellationToken)
    {
        long version = 0;
        long measured = 0;
        while (!window.Stopped)
        {
            long phase0 = target.Phase();
            long t0 = Stopwatch.GetTimestamp();
            await target.AppendAsync(writer, ++version, payload, cancellationToken);
            long t1 = Stopwatch.GetTimestamp();
            if (window.Contains(t0, t1))
            {
                histogram.Record(t1 - t0);
                phases[(int)AppendPhases.Classify(phase0, target.Phase())].Record(t1 - t0);
                measured++;
                if (quota is { } q && measured >= q)
                {
                    return;
                }
            }
        }
    }

    private static Task RunOnOwnThread(Func<Task> loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                // Blocking targets complete synchronously, so the loop never leaves this thread.
                loop().GetAwaiter().GetResult();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "bench-writer",
        };
        thread.Start();
        return done.Task;
    }

    private static void ThrowIfFaulted(Task all)
    {
        if (all.IsFaulted)
        {
            all.GetAwaiter().GetResult();
        }
    }

    /// <summary>The measured window, shared by all writers (timestamps in <see cref="Stopwatch"/> ticks).</summary>
    private sealed class Window
    {
        private long _start = long.MaxValue;
        private long _end = long.MaxValue;
        private volatile bool _stopped;

        public bool Stopped => _stopped;

        public void Open(long start) => Volatile.Write(ref _start, start);

        public void Close(long end) => Volatile.Write(ref _end, end);

        public void Stop() => _stopped = true;

        public bool Contains(long t0, long t1) => t0 >= Volatile.Read(ref _start) && t1 <= Volatile.Read(ref _end);
    }
}
