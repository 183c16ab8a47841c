using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>Metrics through OpenTelemetry: Orleans's meter and the log's, exported for Prometheus at <c>/metrics</c>.</summary>
internal static class SiloTelemetryExtensions
{
    /// <summary>The meters exported: Orleans's runtime, the log engine and the Orleans providers on the log.</summary>
    public static readonly string[] Meters = ["Microsoft.Orleans", "Actors.Wal", "Actors.Orleans"];

    public static IServiceCollection AddSiloTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("actors-orleans-silo"))
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());
        return services;
    }
}
