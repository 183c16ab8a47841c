namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// The suspects of a row's append p99 tail, measured over the same window as the row (issue 14, round 11): the store's
/// own commit fsync durations (<see cref="FsyncTimes"/>), the gap from the fsync's completion to each writer's
/// continuation (stores that report <see cref="Peers.IAppendTarget.CompletedAt"/>: the bare loop), the appends that
/// spanned a garbage collection, and the collections and their pause time.
/// </summary>
/// <param name="Fsyncs">Commit fsync durations in the window (empty when the store reports none).</param>
/// <param name="Wake">Fsync completion to the writer's continuation, per append (empty when the store does not tell).</param>
/// <param name="SpannedGc">Latencies of the appends during which a garbage collection (any generation) started or ran.</param>
/// <param name="GcPause">Total time the runtime paused threads for collections in the window.</param>
/// <param name="Gen0">Collections counted by <see cref="GC.CollectionCount(int)"/> for generation 0 (includes the higher ones).</param>
/// <param name="Gen1">Likewise generation 1.</param>
/// <param name="Gen2">Likewise generation 2.</param>
internal sealed record TailFigures(LatencyHistogram Fsyncs, LatencyHistogram Wake, LatencyHistogram SpannedGc, TimeSpan GcPause, int Gen0, int Gen1, int Gen2)
{
    /// <summary>The duration above which an fsync counted as slow (<see cref="FsyncTimes.SlowThreshold"/>).</summary>
    public TimeSpan SlowFsync { get; init; }

    /// <summary>Latencies of the appends during which a slow fsync (longer than <see cref="SlowFsync"/>) completed.</summary>
    public LatencyHistogram OverlappedSlowFsync { get; init; } = new();

    /// <summary>Adds up several rounds.</summary>
    public static TailFigures Combine(IReadOnlyList<TailFigures> rounds)
    {
        var fsyncs = new LatencyHistogram();
        var wake = new LatencyHistogram();
        var gc = new LatencyHistogram();
        var slow = new LatencyHistogram();
        foreach (TailFigures r in rounds)
        {
            slow.Add(r.OverlappedSlowFsync);
            fsyncs.Add(r.Fsyncs);
            wake.Add(r.Wake);
            gc.Add(r.SpannedGc);
        }

        return new TailFigures(
            fsyncs,
            wake,
            gc,
            TimeSpan.FromTicks(rounds.Sum(r => r.GcPause.Ticks)),
            rounds.Sum(r => r.Gen0),
            rounds.Sum(r => r.Gen1),
            rounds.Sum(r => r.Gen2))
        {
            SlowFsync = rounds.Max(r => r.SlowFsync),
            OverlappedSlowFsync = slow,
        };
    }
}
