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
        FsyncTimes.Start();
        using var allocations = AllocationSampler.Requested ? new AllocationSampler() : null;

        var window = new Window();
        LatencyTimeline? timeline = LatencyTimeline.FromEnvironment();
        var histograms = new LatencyHistogram[workload.Writers];
        var phaseHistograms = new LatencyHistogram[workload.Writers][];
        var gcHistograms = new LatencyHistogram[workload.Writers];
        var wakeHistograms = new LatencyHistogram[workload.Writers];
        var slowFsyncHistograms = new LatencyHistogram[workload.Writers];
        var writers = new Task[workload.Writers];
        var random = new Random(20261121);
        for (int w = 0; w < workload.Writers; w++)
        {
            histograms[w] = new LatencyHistogram();
            phaseHistograms[w] = NewPhaseHistograms();
            gcHistograms[w] = new LatencyHistogram();
            wakeHistograms[w] = new LatencyHistogram();
            slowFsyncHistograms[w] = new LatencyHistogram();
            byte[] payload = new byte[workload.PayloadBytes];
            random.NextBytes(payload);
            int writer = w;
            LatencyHistogram histogram = histograms[w];
            LatencyHistogram[] phases = phaseHistograms[w];
            var tail = new TailHistograms(gcHistograms[w], wakeHistograms[w], slowFsyncHistograms[w]);
            writers[w] = target.IsBlocking
                ? RunOnOwnThread(() => WriteLoopAsync(target, writer, payload, window, timeline, histogram, phases, tail, workload.MeasuredOpsPerWriter, cancellationToken))
                : Task.Run(() => WriteLoopAsync(target, writer, payload, window, timeline, histogram, phases, tail, workload.MeasuredOpsPerWriter, cancellationToken), cancellationToken);
        }

        Task all = Task.WhenAll(writers);
        await Task.WhenAny(Task.Delay(workload.Warmup, cancellationToken), all);
        ThrowIfFaulted(all);

        SyncCounters? before = await target.ReadCountersAsync(cancellationToken);
        using Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        TimeSpan gcPauseBefore = GC.GetTotalPauseDuration();
        int[] gcCountsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        FsyncTimes.Open();
        CommitCycles.Open();
        allocations?.Open();
        long start = Stopwatch.GetTimestamp();
        window.Open(start);
        timeline?.Open(start, target);
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

        timeline?.Close(target.Name);
        TimeSpan slowFsync = FsyncTimes.SlowThreshold;
        LatencyHistogram fsyncs = FsyncTimes.Close();
        var commitCycle = CommitCycles.Close();
        TimeSpan gcPause = GC.GetTotalPauseDuration() - gcPauseBefore;
        int[] gcCounts = [GC.CollectionCount(0) - gcCountsBefore[0], GC.CollectionCount(1) - gcCountsBefore[1], GC.CollectionCount(2) - gcCountsBefore[2]];
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        allocations?.Close(target.Name, histograms.Sum(h => h.Count));
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

        var spannedGc = new LatencyHistogram();
        var wake = new LatencyHistogram();
        var overlappedSlowFsync = new LatencyHistogram();
        for (int w = 0; w < workload.Writers; w++)
        {
            spannedGc.Add(gcHistograms[w]);
            wake.Add(wakeHistograms[w]);
            overlappedSlowFsync.Add(slowFsyncHistograms[w]);
        }

        SyncCounters? delta = before is { } b && after is { } a ? a - b : null;
        return new ThroughputResult(target.Name, workload, merged.Count, Stopwatch.GetElapsedTime(start, end), merged, delta)
        {
            ProcessCpu = cpu,
            AllocatedBytes = allocated,
            Phases = mergedPhases,
            CommitCycle = commitCycle.Commits > 0 ? commitCycle : null,
            Tail = new TailFigures(fsyncs, wake, spannedGc, gcPause, gcCounts[0], gcCounts[1], gcCounts[2]) { SlowFsync = slowFsync, OverlappedSlowFsync = overlappedSlowFsync },
        };
    }

    private static LatencyHistogram[] NewPhaseHistograms() => Enumerable.Range(0, AppendPhases.Count).Select(_ => new LatencyHistogram()).ToArray();

    private static async Task WriteLoopAsync(
        IAppendTarget target,
        int writer,
        byte[] payload,
        Window window,
        LatencyTimeline? timeline,
        LatencyHistogram histogram,
        LatencyHistogram[] phases,
        TailHistograms tail,
        long? quota,
        CancellationToken cancellationToken)
    {
        long version = 0;
        long measured = 0;
        ILogAppendTarget? log = target as ILogAppendTarget;
        while (!window.Stopped)
        {
            long phase0 = target.Phase();
            int gc0 = GC.CollectionCount(0);
            long slow0 = FsyncTimes.SlowCount;
            long t0 = Stopwatch.GetTimestamp();
            if (log is not null)
            {
                await log.AppendToLogAsync(writer, ++version, payload, cancellationToken);
            }
            else
            {
                await target.AppendAsync(writer, ++version, payload, cancellationToken);
            }

            long t1 = Stopwatch.GetTimestamp();
            if (window.Contains(t0, t1))
            {
                histogram.Record(t1 - t0);
                timeline?.Record(t0, t1);
                phases[(int)AppendPhases.Classify(phase0, target.Phase())].Record(t1 - t0);
                if (GC.CollectionCount(0) != gc0)
                {
                    tail.SpannedGc.Record(t1 - t0);
                }

                if (FsyncTimes.SlowCount != slow0)
                {
                    tail.SlowFsync.Record(t1 - t0);
                }

                long completed = target.CompletedAt(writer);
                if (completed != 0)
                {
                    tail.Wake.Record(t1 - completed);
                }

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

    /// <summary>One writer's histograms of the tail's suspects: appends that spanned a garbage collection, fsync-to-continuation gaps, and appends during which a slow fsync completed.</summary>
    private sealed record TailHistograms(LatencyHistogram SpannedGc, LatencyHistogram Wake, LatencyHistogram SlowFsync);

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
