using System.Diagnostics;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// A log-linear latency histogram over <see cref="Stopwatch"/> ticks (HdrHistogram's idea, not its code):
/// values below 64 ticks are exact, above that each power of two is split into 64 sub-buckets, so a
/// reported percentile is within 1/64 (1.6%) of the true value. Not thread-safe: one per writer, merged after.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int MaxExponent = 62;

    private readonly long[] _counts = new long[((MaxExponent - SubBucketBits + 1) * SubBuckets) + SubBuckets];

    public long Count { get; private set; }

    public long MaxTicks { get; private set; }

    public void Record(long ticks)
    {
        if (ticks < 0)
        {
            ticks = 0;
        }

        _counts[IndexOf(ticks)]++;
        Count++;
        if (ticks > MaxTicks)
        {
            MaxTicks = ticks;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxTicks = Math.Max(MaxTicks, other.MaxTicks);
    }

    /// <summary>The latency at <paramref name="percentile"/> (0..100), or null when nothing was recorded.</summary>
    public TimeSpan? Percentile(double percentile)
    {
        if (Count == 0)
        {
            return null;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                long ticks = Math.Min(MidpointOf(i), MaxTicks);
                return TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
            }
        }

        return TimeSpan.FromSeconds((double)MaxTicks / Stopwatch.Frequency);
    }

    /// <summary>How many recorded latencies fall in buckets above the bucket of <paramref name="latency"/> (within the histogram's 1.6%).</summary>
    public long CountAbove(TimeSpan latency)
    {
        int index = IndexOf((long)(latency.TotalSeconds * Stopwatch.Frequency));
        long above = 0;
        for (int i = index + 1; i < _counts.Length; i++)
        {
            above += _counts[i];
        }

        return above;
    }

    private static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        int exponent = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);
        int sub = (int)((value >> (exponent - SubBucketBits)) & (SubBuckets - 1));
        return ((exponent - SubBucketBits + 1) * SubBuckets) + sub;
    }

    private static long MidpointOf(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        int exponent = (index / SubBuckets) + SubBucketBits - 1;
        long sub = index % SubBuckets;
        long width = 1L << (exponent - SubBucketBits);
        long lower = (1L << exponent) + (sub * width);
        return lower + (width / 2);
    }
}
