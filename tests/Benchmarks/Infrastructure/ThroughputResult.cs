using Actors.Benchmarks.Peers;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>What one driver run measured.</summary>
/// <param name="Target">The store's name.</param>
/// <param name="Workload">What was run.</param>
/// <param name="Ops">Acknowledged appends inside the measured window.</param>
/// <param name="Elapsed">The measured window.</param>
/// <param name="Latency">Latency of every measured append (call to acknowledgement).</param>
/// <param name="Counters">Sync counters over the window, when the store exposes them.</param>
internal sealed record ThroughputResult(string Target, Workload Workload, long Ops, TimeSpan Elapsed, LatencyHistogram Latency, SyncCounters? Counters)
{
    /// <summary>CPU time (user + system) of this whole process over the window: harness plus in-process store.</summary>
    public TimeSpan ProcessCpu { get; init; }

    /// <summary>Managed bytes this process allocated over the window.</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>The latencies of <see cref="Latency"/> split by what each append overlapped (indexed by <see cref="AppendPhase"/>), or null.</summary>
    public LatencyHistogram[]? Phases { get; init; }

    /// <summary>What the p99 tail could wait on, measured over the same window (issue 14, round 11), or null.</summary>
    public TailFigures? Tail { get; init; }

    /// <summary>The committer's mean microseconds per commit in each phase (<see cref="CommitCycles.Phases"/>) and the commits counted; null when the store reports none.</summary>
    public (double[] MeanMicroseconds, long Commits)? CommitCycle { get; init; }

    public double OpsPerSecond => Ops / Elapsed.TotalSeconds;

    /// <summary>Process CPU microseconds per acknowledged append.</summary>
    public double CpuMicrosecondsPerOp => Ops == 0 ? 0 : ProcessCpu.TotalMicroseconds / Ops;

    /// <summary>Managed bytes allocated per acknowledged append (harness included).</summary>
    public double AllocatedBytesPerOp => Ops == 0 ? 0 : (double)AllocatedBytes / Ops;

    public double BytesPerSecond => OpsPerSecond * Workload.PayloadBytes;

    public TimeSpan? P50 => Latency.Percentile(50);

    public TimeSpan? P99 => Latency.Percentile(99);

    /// <summary>
    /// Appends per fsync over the window from the store's own counters (both numerator and denominator from the
    /// same source, so a lag in publishing them cancels out), or null when the store does not count fsyncs.
    /// </summary>
    public double? AppendsPerFsync => Counters is { Fsyncs: > 0 } c ? (double)c.Appends / c.Fsyncs : null;

    /// <summary>Adds up several rounds of the same store and workload: ops, windows, latencies and counters.</summary>
    public static ThroughputResult Combine(IReadOnlyList<ThroughputResult> rounds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rounds.Count);
        var latency = new LatencyHistogram();
        LatencyHistogram[]? phases = rounds.All(r => r.Phases is not null) ? Enumerable.Range(0, AppendPhases.Count).Select(_ => new LatencyHistogram()).ToArray() : null;
        SyncCounters? counters = new SyncCounters(0, 0, 0);
        foreach (ThroughputResult r in rounds)
        {
            latency.Add(r.Latency);
            for (int p = 0; phases is not null && p < AppendPhases.Count; p++)
            {
                phases[p].Add(r.Phases![p]);
            }

            counters = counters is { } c && r.Counters is { } rc ? new SyncCounters(c.Appends + rc.Appends, c.Commits + rc.Commits, c.Fsyncs + rc.Fsyncs) : null;
        }

        return rounds[0] with
        {
            Ops = rounds.Sum(r => r.Ops),
            Elapsed = TimeSpan.FromTicks(rounds.Sum(r => r.Elapsed.Ticks)),
            Latency = latency,
            Phases = phases,
            Tail = rounds.All(r => r.Tail is not null) ? TailFigures.Combine(rounds.Select(r => r.Tail!).ToList()) : null,
            Counters = counters,
            ProcessCpu = TimeSpan.FromTicks(rounds.Sum(r => r.ProcessCpu.Ticks)),
            AllocatedBytes = rounds.Sum(r => r.AllocatedBytes),
        };
    }
}
