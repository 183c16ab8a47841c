using OpenTelemetry.Exporter;

namespace Actors.Silo;

/// <summary>The resolved OTLP metrics export: where the exporter sends (the full URL), how, and how often.</summary>
/// <param name="Endpoint">The exporter's target (for http/protobuf, ending in <c>/v1/metrics</c>).</param>
/// <param name="Protocol">The OTLP protocol.</param>
/// <param name="ExportInterval">The export interval.</param>
public sealed record SiloTelemetryExport(Uri Endpoint, OtlpExportProtocol Protocol, TimeSpan ExportInterval);
