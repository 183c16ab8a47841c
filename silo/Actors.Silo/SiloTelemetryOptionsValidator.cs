using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace Actors.Silo;

/// <summary>Validates <see cref="SiloTelemetryOptions"/>; each failure names the setting.</summary>
public sealed class SiloTelemetryOptionsValidator : IValidateOptions<SiloTelemetryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloTelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint) && !TryParseEndpoint(options.OtlpEndpoint, out _))
        {
            failures.Add($"{SiloTelemetryOptions.SectionName}:OtlpEndpoint must be an absolute http:// or https:// address such as http://otel-collector:4318; it is '{options.OtlpEndpoint}'.");
        }

        if (!string.IsNullOrWhiteSpace(options.Protocol) && !TryParseProtocol(options.Protocol, out _))
        {
            failures.Add($"{SiloTelemetryOptions.SectionName}:Protocol must be HttpProtobuf (http/protobuf) or Grpc (grpc); it is '{options.Protocol}'.");
        }

        if (options.ExportInterval <= TimeSpan.Zero || options.ExportInterval.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{SiloTelemetryOptions.SectionName}:ExportInterval must be more than zero (and under 24 days); it is {options.ExportInterval}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Parses an OTLP endpoint: an absolute http or https URI.</summary>
    public static bool TryParseEndpoint(string? text, out Uri endpoint)
    {
        if (Uri.TryCreate(text?.Trim(), UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            endpoint = uri;
            return true;
        }

        endpoint = null!;
        return false;
    }

    /// <summary>Parses a protocol name: <c>HttpProtobuf</c>/<c>http/protobuf</c> or <c>Grpc</c>/<c>grpc</c> (case-insensitive).</summary>
    public static bool TryParseProtocol(string? text, out OtlpExportProtocol protocol)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "HTTPPROTOBUF" or "HTTP/PROTOBUF":
                protocol = OtlpExportProtocol.HttpProtobuf;
                return true;
            case "GRPC":
                protocol = OtlpExportProtocol.Grpc;
                return true;
            default:
                protocol = default;
                return false;
        }
    }
}
