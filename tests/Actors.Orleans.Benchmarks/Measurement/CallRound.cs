using Actors.Orleans.Benchmarks.Machine;

namespace Actors.Orleans.Benchmarks.Measurement;

/// <summary>What one measured period of closed-loop calls produced.</summary>
/// <param name="Calls">Calls that completed inside the measured period.</param>
/// <param name="Seconds">The measured period's length.</param>
/// <param name="Latencies">The latencies of those calls.</param>
/// <param name="Load">The load average read at the end of the period.</param>
/// <param name="AllocatedBytes">Managed bytes the whole process allocated during the period (callers, silo and stores).</param>
public sealed record CallRound(long Calls, double Seconds, LatencyHistogram Latencies, LoadAverage Load, long AllocatedBytes)
{
    /// <summary>Managed bytes allocated per completed call: everything the process did, a count that the load does not change much.</summary>
    public double AllocatedBytesPerCall => Calls == 0 ? 0 : AllocatedBytes / (double)Calls;

    /// <summary>Processor time (user and system) the whole process used during the period.</summary>
    public TimeSpan ProcessorTime { get; init; }

    /// <summary>
    /// The process's processor time per completed call, in microseconds: on a saturated machine the ratio of two variants'
    /// values is the ratio of their throughputs, and it moves less with other processes' load than calls/s does.
    /// </summary>
    public double ProcessorMicrosecondsPerCall => Calls == 0 ? 0 : ProcessorTime.TotalMicroseconds / Calls;

    public double CallsPerSecond => Calls / Seconds;

    public double P50Nanoseconds => Latencies.Percentile(0.50);

    public double P99Nanoseconds => Latencies.Percentile(0.99);
}
