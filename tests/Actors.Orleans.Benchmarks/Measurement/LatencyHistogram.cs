using System.Diagnostics;
using System.Numerics;

namespace Actors.Orleans.Benchmarks.Measurement;

/// <summary>
/// Latencies in nanoseconds, log-linear buckets (64 per power of two above 128 ns: under 1.6% error), so recording
/// allocates nothing. Not thread-safe: each caller keeps its own and the runner merges them.
/// </summary>
public sealed class LatencyHistogram
{
    private const int LinearLimit = 128;
    private const int SubBuckets = 64;
    private readonly long[] _counts = new long[LinearLimit + (SubBuckets * 64)];

    public long Count { get; private set; }

    /// <summary>The sum of the recorded latencies in nanoseconds (for the mean).</summary>
    public double SumNanoseconds { get; private set; }

    public double MeanNanoseconds => Count == 0 ? 0 : SumNanoseconds / Count;

    public void RecordTicks(long stopwatchTicks) => Record(TicksToNanoseconds(stopwatchTicks));

    public void Record(long nanoseconds)
    {
        long value = Math.Max(0, nanoseconds);
        _counts[Index(value)]++;
        Count++;
        SumNanoseconds += value;
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        SumNanoseconds += other.SumNanoseconds;
    }

    /// <summary>The latency at quantile <paramref name="quantile"/> (0..1) in nanoseconds; 0 when nothing was recorded.</summary>
    public double Percentile(double quantile)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Value(i);
            }
        }

        return Value(_counts.Length - 1);
    }

    public static long TicksToNanoseconds(long stopwatchTicks) =>
        (long)(stopwatchTicks * (1_000_000_000.0 / Stopwatch.Frequency));

    private static int Index(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        int highestBit = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int shift = highestBit - 6;
        int index = (shift * SubBuckets) + (int)(value >> shift);
        return Math.Min(index, LinearLimit + (SubBuckets * 64) - 1);
    }

    private static double Value(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        int shift = (index / SubBuckets) - 1;
        long sub = (index % SubBuckets) + SubBuckets;
        return (sub << shift) + ((1L << shift) / 2.0);
    }
}
