using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// The durations of the commit fsyncs a store issued inside the measured window, so that a row's append p99 ÷ p50 can be
/// set beside the disk's own fsync p99 ÷ p50 on the same file state in the same run (issue 14, round 11). The bare
/// group-commit loop reports each fdatasync through <see cref="Record"/>; the engine's are read from its own instrument
/// (meter <c>Actors.Wal</c>, histogram <c>actors.wal.fsync.duration</c>, the committer's commit fsyncs only) by a
/// <see cref="MeterListener"/> that lives as long as the process. Fsyncs between <see cref="Start"/> and
/// <see cref="Open"/> form the warm-up (its p50 sets <see cref="SlowThreshold"/>); those between <see cref="Open"/> and
/// <see cref="Close"/> the window. One store runs at a time; one fsync at a time per store, so the lock is taken once per
/// fsync.
/// </summary>
internal static class FsyncTimes
{
    private static readonly object Gate = new();
    private static LatencyHistogram? _window;
    private static LatencyHistogram? _warmup;
    private static long _slowTicks = long.MaxValue;
    private static long _slow;
    private static long _lastCompleted;
    private static MeterListener? _listener;

    /// <summary>
    /// How many fsyncs of the open window took longer than <see cref="SlowThreshold"/>, counted before the waiters they
    /// acknowledge are completed (the bare loop records before completing; the engine's committer records before it
    /// publishes), so a writer that reads it before and after its append sees whether a slow fsync completed meanwhile.
    /// </summary>
    public static long SlowCount => Volatile.Read(ref _slow);

    /// <summary>The duration above which a window's fsync counts as slow: 3x the warm-up's fsync p50 (1 ms without warm-up fsyncs).</summary>
    public static TimeSpan SlowThreshold => TimeSpan.FromSeconds((double)Volatile.Read(ref _slowTicks) / Stopwatch.Frequency);

    /// <summary>
    /// When the latest fsync reported through the engine's instrument ended (a <see cref="Stopwatch"/> timestamp taken in
    /// the listener's callback, which the committer calls right after the fsync and before it completes any waiter); 0
    /// before the first. A waiter that reads it after its acknowledgement gets the end of the fsync that covered it, or of
    /// a later one if its continuation ran after that: the gap to it is a lower bound of the fsync-to-continuation time.
    /// </summary>
    public static long LastEngineFsyncCompleted => Volatile.Read(ref _lastCompleted);

    /// <summary>Starts the warm-up: fsyncs from now on go into the warm-up histogram (whose p50 sets the slow threshold).</summary>
    public static void Start()
    {
        lock (Gate)
        {
            _warmup = new LatencyHistogram();
            _window = null;
            EnsureListening();
        }
    }

    /// <summary>Starts recording into a new histogram (the measured window) and sets the slow threshold from the warm-up.</summary>
    public static void Open()
    {
        lock (Gate)
        {
            TimeSpan? warmP50 = _warmup is { Count: >= 50 } w ? w.Percentile(50) : null;
            Volatile.Write(ref _slowTicks, (long)((warmP50 ?? TimeSpan.FromMilliseconds(1.0 / 3)).TotalSeconds * 3 * Stopwatch.Frequency));
            _warmup = null;
            _window = new LatencyHistogram();
            EnsureListening();
        }
    }

    /// <summary>Stops recording and returns what was recorded since <see cref="Open"/> (empty when the store reports none).</summary>
    public static LatencyHistogram Close()
    {
        lock (Gate)
        {
            LatencyHistogram result = _window ?? new LatencyHistogram();
            _window = null;
            Volatile.Write(ref _slowTicks, long.MaxValue);
            return result;
        }
    }

    /// <summary>Records one fsync of <paramref name="ticks"/> <see cref="Stopwatch"/> ticks, if a warm-up or window is open.</summary>
    public static void Record(long ticks)
    {
        lock (Gate)
        {
            _warmup?.Record(ticks);
            if (_window is { } window)
            {
                window.Record(ticks);
                if (ticks > _slowTicks)
                {
                    Interlocked.Increment(ref _slow);
                }
            }
        }
    }

    /// <summary>Starts the listener once (under <see cref="Gate"/>).</summary>
    private static void EnsureListening()
    {
        if (_listener is not null)
        {
            return;
        }

        _listener = WalHistogramListener.Start("actors.wal.fsync.duration", (_, seconds, _, _) =>
        {
            Volatile.Write(ref _lastCompleted, Stopwatch.GetTimestamp());
            Record((long)(seconds * Stopwatch.Frequency));
        });
    }
}
