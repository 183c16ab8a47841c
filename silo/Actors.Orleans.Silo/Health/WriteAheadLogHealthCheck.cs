using Actors.Orleans.Log;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Orleans.Silo.Health;

/// <summary>Healthy while the silo's log is open; its state, directory, streams, durable LSN and recovery time go in the report's data.</summary>
internal sealed class WriteAheadLogHealthCheck(SiloLog log) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
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
        return Task.FromResult(status.State == SiloLogState.Open
            ? HealthCheckResult.Healthy(description, data)
            : HealthCheckResult.Unhealthy(description, data: data));
    }
}
