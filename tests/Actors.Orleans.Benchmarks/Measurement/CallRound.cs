using Actors.Orleans.Benchmarks.Machine;

namespace Actors.Orleans.Benchmarks.Measurement;

/// <summary>What one measured period of closed-loop calls produced.</summary>
/// <param name="Calls">Calls that completed inside the measured period.</param>
/// <param name="Seconds">The measured period's length.</param>
/// <param name="Latencies">The latencies of those calls.</param>
/// <param name="Load">The load average read at the end of the period.</param>
/// <param name="AllocatedBytes">Managed bytes the whole process allocated during the period (callers, silo and stores).</param>
/// <param name="Cpu">CPU time (user + system, every thread) the whole process spent during the period.</param>
public sealed record CallRound(long Calls, double Seconds, LatencyHistogram Latencies, LoadAverage Load, long AllocatedBytes, TimeSpan Cpu)
{
    /// <summary>Process CPU microseconds per completed call: on a saturated machine the ratio of two topologies' throughputs is the inverse of this.</summary>
    public double CpuMicrosecondsPerCall => Calls == 0 ? 0 : Cpu.TotalMicroseconds / Calls;

    /// <summary>Managed bytes allocated per completed call: everything the process did, a count that the load does not change much.</summary>
    public double AllocatedBytesPerCall => Calls == 0 ? 0 : AllocatedBytes / (double)Calls;

    public double CallsPerSecond => Calls / Seconds;

    public double P50Nanoseconds => Latencies.Percentile(0.50);

    public double P99Nanoseconds => Latencies.Percentile(0.99);
}
