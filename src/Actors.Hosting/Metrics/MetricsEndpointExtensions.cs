using Actors.Hosting.Http;
using Actors.Hosting.Metrics.Prometheus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Metrics;

/// <summary>Registers the silo's <see cref="MetricsCollector"/> and serves it to Prometheus.</summary>
public static class MetricsEndpointExtensions
{
    /// <summary>
    /// Registers <see cref="MetricsOptions"/> and the <see cref="MetricsCollector"/> singleton (listening from the moment
    /// it is first resolved: resolve it before the host starts so that instruments recorded at startup are counted).
    /// </summary>
    public static IServiceCollection AddActorsMetrics(this IServiceCollection services, Action<MetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<MetricsOptions> options = services.AddOptions<MetricsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(sp => new MetricsCollector(sp.GetRequiredService<IOptions<MetricsOptions>>().Value, sp.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Serves every collected instrument at <paramref name="path"/> in the Prometheus text format
    /// (<see cref="PrometheusTextFormat"/>). Requests from beyond loopback need the gateway secret when the silo has
    /// one (<see cref="SecretAccess"/>).
    /// </summary>
    public static IEndpointConventionBuilder MapActorsMetrics(this IEndpointRouteBuilder endpoints, string path = MetricsOptions.DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return endpoints.MapGet(path, (MetricsCollector collector) =>
                Results.Text(PrometheusTextFormat.Write(collector.Collect()), PrometheusTextFormat.ContentType))
            .RequireSecretBeyondLoopback(refuseWithoutSecret: false);
    }
}
