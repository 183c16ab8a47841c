using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Actors.Silo;

/// <summary>
/// The silo's metrics export: when an OTLP endpoint is configured (<see cref="SiloTelemetryOptions"/>), a
/// <see cref="MeterProvider"/> listening to every Actors meter and exporting through OTLP. It is a singleton of the
/// host's container, so it flushes and stops when the host is disposed.
/// </summary>
public static class SiloTelemetry
{
    /// <summary>
    /// Every meter of the product: the engine (<c>Actors.Wal</c>), the grain storage provider (<c>Actors.Persistence.Wal</c>),
    /// the runtime (<c>Actors.Runtime</c>) and the gateway (<c>Actors.Gateway</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> MeterNames = ["Actors.Wal", "Actors.Persistence.Wal", "Actors.Runtime", "Actors.Gateway"];

    /// <summary>
    /// Reads and validates <see cref="SiloTelemetryOptions"/> from <paramref name="configuration"/>, falling back to the
    /// standard <c>OTEL_EXPORTER_OTLP_*</c> variables. Returns null when no endpoint is configured (no export).
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static SiloTelemetryExport? ReadExport(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        SiloTelemetryOptions options = configuration.GetSection(SiloTelemetryOptions.SectionName).Get<SiloTelemetryOptions>() ?? new SiloTelemetryOptions();
        ValidateOptionsResult result = new SiloTelemetryOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SiloTelemetryOptions), result.Failures);
        }

        string? endpointText = !string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? options.OtlpEndpoint : configuration[SiloTelemetryOptions.StandardEndpointVariable];
        if (string.IsNullOrWhiteSpace(endpointText))
        {
            return null;
        }

        if (!SiloTelemetryOptionsValidator.TryParseEndpoint(endpointText, out Uri endpoint))
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SiloTelemetryOptions),
                [$"{SiloTelemetryOptions.StandardEndpointVariable} must be an absolute http:// or https:// address; it is '{endpointText}'."]);
        }

        string? protocolText = !string.IsNullOrWhiteSpace(options.Protocol) ? options.Protocol : configuration[SiloTelemetryOptions.StandardProtocolVariable];
        OtlpExportProtocol protocol = OtlpExportProtocol.HttpProtobuf;
        if (!string.IsNullOrWhiteSpace(protocolText) && !SiloTelemetryOptionsValidator.TryParseProtocol(protocolText, out protocol))
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SiloTelemetryOptions),
                [$"{SiloTelemetryOptions.StandardProtocolVariable} must be grpc or http/protobuf; it is '{protocolText}'."]);
        }

        // Like the standard variable, the endpoint is the collector's base address: http/protobuf posts to /v1/metrics.
        Uri target = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/v1/metrics")
            : endpoint;
        return new SiloTelemetryExport(target, protocol, options.ExportInterval);
    }

    /// <summary>Builds the meter provider for <paramref name="export"/>; <paramref name="serviceName"/> becomes the resource's <c>service.name</c>.</summary>
    public static MeterProvider CreateMeterProvider(SiloTelemetryExport export, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        MeterProviderBuilder builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService(serviceName));
        foreach (string meter in MeterNames)
        {
            builder.AddMeter(meter);
        }

        return builder
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = export.Endpoint;
                exporter.Protocol = export.Protocol;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)export.ExportInterval.TotalMilliseconds;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build();
    }
}
