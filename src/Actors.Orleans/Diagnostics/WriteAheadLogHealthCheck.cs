using Actors.Orleans.Log;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Orleans.Diagnostics;

/// <summary>
/// Healthy while the silo's log is open (<see cref="SiloLogState.Open"/>); Degraded while the device is full
/// (<see cref="SiloLogState.DiskFull"/>: reads are served, writes that need a new segment are refused, and they resume by
/// themselves once there is room, so a load balancer keeps routing reads); otherwise (failed, not open) the registration's
/// failure status.
/// The report's data holds the log's state, directory, streams, durable LSN and how long opening (recovery) took.
/// </summary>
internal sealed class WriteAheadLogHealthCheck(SiloLog log) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        SiloLogStatus status = log.GetStatus();
        var data = new Dictionary<string, object>
        {
            ["state"] = status.State.ToString(),
            ["directory"] = status.Directory,
            ["streams"] = status.Streams,
            ["durableLsn"] = status.DurableLsn,
            ["openMilliseconds"] = Math.Round(status.OpenDuration.TotalMilliseconds),
        };
        string description = $"{status.State} in {status.Directory}: {status.Description}; {status.Streams} streams, durable LSN {status.DurableLsn}";
        return Task.FromResult(status.State switch
        {
            SiloLogState.Open => HealthCheckResult.Healthy(description, data),
            SiloLogState.DiskFull => HealthCheckResult.Degraded(description, data: data),
            _ => new HealthCheckResult(context.Registration.FailureStatus, description, data: data),
        });
    }
}
