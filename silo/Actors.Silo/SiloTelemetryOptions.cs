namespace Actors.Silo;

/// <summary>
/// OpenTelemetry metrics export of the silo (section <c>Actors:Telemetry</c>, e.g. <c>ACTORS__TELEMETRY__OTLPENDPOINT</c>).
/// Export is off unless an endpoint is configured here or in the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable.
/// The meters are visible to <c>dotnet-counters</c> in every case.
/// </summary>
public sealed class SiloTelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Actors:Telemetry";

    /// <summary>The standard OpenTelemetry variable used when <see cref="OtlpEndpoint"/> is not set.</summary>
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard OpenTelemetry variable used when <see cref="Protocol"/> is not set (<c>grpc</c> or <c>http/protobuf</c>).</summary>
    public const string StandardProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>The default export interval: 10 seconds.</summary>
    public static readonly TimeSpan DefaultExportInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The OTLP collector's base address, e.g. <c>http://otel-collector:4318</c> (http/protobuf; <c>/v1/metrics</c> is
    /// appended) or <c>http://otel-collector:4317</c> (grpc). Empty: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, else no export.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// <c>HttpProtobuf</c> or <c>Grpc</c> (also <c>http/protobuf</c>, <c>grpc</c>). Empty: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
    /// else <c>HttpProtobuf</c>.
    /// </summary>
    public string? Protocol { get; set; }

    /// <summary>How often metrics are exported; more than zero. Default <see cref="DefaultExportInterval"/>.</summary>
    public TimeSpan ExportInterval { get; set; } = DefaultExportInterval;
}
