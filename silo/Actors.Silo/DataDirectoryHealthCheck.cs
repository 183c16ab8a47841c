using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Silo;

/// <summary>Healthy while the data directory exists and is locked by this silo.</summary>
internal sealed class DataDirectoryHealthCheck(SiloDataDirectory dataDirectory) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(Directory.Exists(dataDirectory.Path)
            ? HealthCheckResult.Healthy($"Data directory {dataDirectory.Path}.")
            : HealthCheckResult.Unhealthy($"Data directory {dataDirectory.Path} no longer exists."));
}
