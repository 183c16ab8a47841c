using System.Diagnostics;
using System.Text;
using Actors.Benchmarks.Peers;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// When the tail happens (<c>ACTORS_BENCH_TIMELINE_MS=N</c>): the measured window cut into buckets of N ms, each with the
/// appends that completed in it, those slower than 1 ms and 4 ms, the slowest, the garbage collections that started in
/// it and the store's maintenance counters (<see cref="IAppendTarget.MaintenanceCounters"/>) sampled at its end by a
/// thread of its own. Printed on stderr after the window, so the tables on stdout stay parseable; only buckets with a
/// slow append or a change of counters are printed, and a summary of how many of the slow appends fell in the buckets
/// where maintenance ran.
/// </summary>
internal sealed class LatencyTimeline
{
    private const int MaxBuckets = 4096;
    private static readonly long OneMillisecond = Stopwatch.Frequency / 1000;

    private readonly long _bucketTicks;
    private readonly int _bucketMilliseconds;
    private readonly long[] _completed = new long[MaxBuckets];
    private readonly long[] _aboveOne = new long[MaxBuckets];
    private readonly long[] _aboveFour = new long[MaxBuckets];
    private readonly long[] _slowest = new long[MaxBuckets];
    private readonly long[][] _counters = new long[MaxBuckets][];
    private readonly int[] _collections = new int[MaxBuckets];
    private long _start;
    private volatile bool _closed;
    private Thread? _sampler;

    private LatencyTimeline(int bucketMilliseconds)
    {
        _bucketMilliseconds = bucketMilliseconds;
        _bucketTicks = Stopwatch.Frequency * bucketMilliseconds / 1000;
    }

    /// <summary>A timeline when <c>ACTORS_BENCH_TIMELINE_MS</c> holds a positive bucket width in ms, else null.</summary>
    public static LatencyTimeline? FromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("ACTORS_BENCH_TIMELINE_MS"), out int ms) && ms > 0 ? new LatencyTimeline(ms) : null;

    /// <summary>Starts the buckets at <paramref name="start"/> and the sampler of <paramref name="target"/>'s counters.</summary>
    public void Open(long start, IAppendTarget target)
    {
        _start = start;
        _sampler = new Thread(() => Sample(target)) { IsBackground = true, Name = "bench-timeline" };
        _sampler.Start();
    }

    /// <summary>Counts an append that started at <paramref name="t0"/> and completed at <paramref name="t1"/>.</summary>
    public void Record(long t0, long t1)
    {
        long bucket = (t1 - _start) / _bucketTicks;
        if (bucket is < 0 or >= MaxBuckets)
        {
            return;
        }

        long ticks = t1 - t0;
        Interlocked.Increment(ref _completed[bucket]);
        if (ticks > OneMillisecond)
        {
            Interlocked.Increment(ref _aboveOne[bucket]);
        }

        if (ticks > 4 * OneMillisecond)
        {
            Interlocked.Increment(ref _aboveFour[bucket]);
        }

        long seen = Volatile.Read(ref _slowest[bucket]);
        while (ticks > seen)
        {
            long was = Interlocked.CompareExchange(ref _slowest[bucket], ticks, seen);
            if (was == seen)
            {
                break;
            }

            seen = was;
        }
    }

    /// <summary>Stops the sampler and prints the buckets on stderr.</summary>
    public void Close(string name)
    {
        _closed = true;
        _sampler?.Join();
        Console.Error.Write(Render(name));
    }

    private void Sample(IAppendTarget target)
    {
        int gcBefore = GC.CollectionCount(0);
        long[]? previous = target.MaintenanceCounters();
        for (int bucket = 0; bucket < MaxBuckets && !_closed; bucket++)
        {
            long due = _start + ((bucket + 1) * _bucketTicks);
            while (Stopwatch.GetTimestamp() < due && !_closed)
            {
                Thread.Sleep(1);
            }

            int gc = GC.CollectionCount(0);
            _collections[bucket] = gc - gcBefore;
            gcBefore = gc;
            long[]? now = target.MaintenanceCounters();
            if (now is not null && previous is not null)
            {
                _counters[bucket] = now.Zip(previous, (a, b) => a - b).ToArray();
            }

            previous = now;
        }
    }

    private string Render(string name)
    {
        var text = new StringBuilder();
        text.AppendLine($"timeline of {name} ({_bucketMilliseconds} ms buckets from {_start / (double)Stopwatch.Frequency:F6} s on the monotonic clock; counters: {MaintenanceCounterNames}):");
        long slowInMaintenance = 0, slowElsewhere = 0, bucketsWithMaintenance = 0, buckets = 0;
        for (int b = 0; b < MaxBuckets; b++)
        {
            if (_completed[b] == 0 && _counters[b] is null)
            {
                continue;
            }

            buckets++;
            bool maintenance = _counters[b] is { } c && c.Skip(1).Any(v => v != 0);
            if (maintenance)
            {
                bucketsWithMaintenance++;
                slowInMaintenance += _aboveOne[b];
            }
            else
            {
                slowElsewhere += _aboveOne[b];
            }

            if (_aboveOne[b] > 0 || maintenance || _collections[b] > 0)
            {
                string counters = _counters[b] is { } d ? string.Join(' ', d) : "-";
                text.AppendLine($"  {b * _bucketMilliseconds,6} ms: {_completed[b],7} appends, {_aboveOne[b],6} > 1 ms, {_aboveFour[b],6} > 4 ms, slowest {_slowest[b] / (double)OneMillisecond,7:F2} ms; gc0 {_collections[b]}; counters {counters}");
            }
        }

        text.AppendLine($"  appends > 1 ms: {slowInMaintenance} in the {bucketsWithMaintenance} buckets where maintenance counters moved, {slowElsewhere} in the other {buckets - bucketsWithMaintenance}");
        return text.ToString();
    }

    /// <summary>The names of <see cref="IAppendTarget.MaintenanceCounters"/>'s entries, in order.</summary>
    public const string MaintenanceCounterNames = "commits, rotations, segments compacted, streams relocated, segments deleted, snapshots";
}
