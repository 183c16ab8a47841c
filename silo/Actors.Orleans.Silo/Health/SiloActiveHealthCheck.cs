using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Actors.Orleans.Silo.Health;

/// <summary>
/// Healthy once the host (and so the Orleans silo and its gateway) has started, until it begins stopping, except while
/// this silo may be stale: after a pause of the process until Orleans's membership table was read again
/// (<see cref="PauseWatch"/>), and whenever this silo's own view of the membership no longer lists it as active (it
/// was declared dead, or is shutting down).
/// </summary>
internal sealed class SiloActiveHealthCheck(
    IHostApplicationLifetime lifetime,
    PauseWatch pauses,
    IClusterMembershipService membership,
    ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the silo is stopping"));
        }

        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the silo is starting"));
        }

        if (pauses.Unconfirmed is { } pause)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"the process did not run for {pause.TotalSeconds:F1} s; Orleans's membership table is being read again (a silo declared dead meanwhile stops itself)"));
        }

        SiloStatus status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("the silo is active and its gateway accepts clients")
            : HealthCheckResult.Unhealthy($"Orleans's membership lists this silo as {status}"));
    }
}
