using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Hosting.Gateway;

/// <summary>Healthy while the gateway listens; reports the endpoint and the open connection count.</summary>
internal sealed class GatewayHealthCheck(IGatewayInfo gateway) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["connections"] = gateway.ActiveConnections };
        return Task.FromResult(gateway.ListeningEndPoint is { } endPoint
            ? HealthCheckResult.Healthy($"Gateway listening on {endPoint}.", data)
            : HealthCheckResult.Unhealthy("The gateway is not listening.", data: data));
    }
}
