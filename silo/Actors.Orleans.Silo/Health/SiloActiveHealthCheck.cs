using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Orleans.Silo.Health;

/// <summary>Healthy once the host (and so the Orleans silo and its gateway) has started, until it begins stopping.</summary>
internal sealed class SiloActiveHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("the silo is stopping")
            : lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Healthy("the silo is active and its gateway accepts clients")
            : HealthCheckResult.Unhealthy("the silo is starting"));
}
