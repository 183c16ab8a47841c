using Actors.Orleans.Silo.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// Metrics and traces through OpenTelemetry: Orleans's meter, the log's meters and .NET's runtime metrics, exported
/// for Prometheus at <c>/metrics</c> always and over OTLP when configured (<see cref="ActorsSiloOptions.OtlpEndpoint"/>
/// or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); then Orleans's grain-call traces go there too.
/// </summary>
internal static class SiloTelemetryExtensions
{
    /// <summary>The meters exported: Orleans's runtime, the log engine, the Orleans providers on the log and the cluster layer.</summary>
    public static readonly string[] Meters = ["Microsoft.Orleans", "Actors.Wal", "Actors.Orleans", "Actors.Orleans.Clustering"];

    /// <summary>The trace sources exported over OTLP: Orleans's (all of them).</summary>
    public static readonly string[] TraceSources = ["Microsoft.Orleans.*"];

    /// <summary>The standard variable naming an OTLP endpoint.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Whether OTLP export is on: the setting, or the standard variable.</summary>
    public static bool OtlpEnabled(ActorsSiloOptions options) =>
        options.OtlpEndpoint.Length > 0 || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OtlpEndpointVariable));

    public static IServiceCollection AddSiloTelemetry(this IServiceCollection services, ActorsSiloOptions options)
    {
        bool otlp = OtlpEnabled(options);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("actors-orleans-silo", serviceInstanceId: options.SiloName.Length > 0 ? options.SiloName : null))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddRuntimeInstrumentation().AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter(exporter => Endpoint(exporter, options));
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(TraceSources).AddOtlpExporter(exporter => Endpoint(exporter, options)));
        }

        return services;
    }

    private static void Endpoint(OtlpExporterOptions exporter, ActorsSiloOptions options)
    {
        // Without the setting the exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL, _HEADERS) itself.
        if (options.OtlpEndpoint.Length > 0)
        {
            exporter.Endpoint = new Uri(options.OtlpEndpoint);
        }
    }
}
