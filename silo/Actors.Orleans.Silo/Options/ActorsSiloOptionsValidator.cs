using System.Net;
using Microsoft.Extensions.Options;

namespace Actors.Orleans.Silo.Options;

/// <summary>Checks <see cref="ActorsSiloOptions"/>; each failure names the setting (<c>Actors:GatewayPort</c>), its value and what is allowed.</summary>
public sealed class ActorsSiloOptionsValidator : IValidateOptions<ActorsSiloOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ActorsSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Require(failures, !string.IsNullOrWhiteSpace(options.DataDirectory), nameof(options.DataDirectory), options.DataDirectory, "a directory path");
        Require(failures, !string.IsNullOrWhiteSpace(options.ClusterId), nameof(options.ClusterId), options.ClusterId, "a non-empty id");
        Require(failures, !string.IsNullOrWhiteSpace(options.ServiceId), nameof(options.ServiceId), options.ServiceId, "a non-empty id");
        Port(failures, nameof(options.SiloPort), options.SiloPort);
        Port(failures, nameof(options.GatewayPort), options.GatewayPort);
        ListeningPort(failures, nameof(options.SiloListeningPort), options.SiloListeningPort);
        ListeningPort(failures, nameof(options.GatewayListeningPort), options.GatewayListeningPort);
        Port(failures, nameof(options.HttpPort), options.HttpPort);
        Port(failures, nameof(options.DashboardPort), options.DashboardPort);
        Address(failures, nameof(options.HttpBindAddress), options.HttpBindAddress);
        Address(failures, nameof(options.BindAddress), options.BindAddress);
        Address(failures, nameof(options.DashboardBindAddress), options.DashboardBindAddress);
        Require(failures, options.AdvertisedAddress.Length == 0 || Uri.CheckHostName(options.AdvertisedAddress) != UriHostNameType.Unknown, nameof(options.AdvertisedAddress), options.AdvertisedAddress, "an IP address or a host name (or empty)");
        Require(failures, options.GrainAssemblies.Count == 0 || options.GrainsDirectory.Length > 0, nameof(options.GrainAssemblies), string.Join(", ", options.GrainAssemblies), $"empty unless {ActorsSiloOptions.SectionName}:{nameof(options.GrainsDirectory)} names their directory");
        foreach (string assembly in options.GrainAssemblies)
        {
            Require(failures, assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && System.IO.Path.GetFileName(assembly) == assembly, nameof(options.GrainAssemblies), assembly, "a file name ending in .dll, without a directory");
        }

        Require(failures, options.ReplicationFactor >= 1, nameof(options.ReplicationFactor), options.ReplicationFactor.ToString(System.Globalization.CultureInfo.InvariantCulture), "at least 1");
        Require(failures, options.OtlpEndpoint.Length == 0 || (Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out Uri? otlp) && otlp.Scheme is "http" or "https"), nameof(options.OtlpEndpoint), options.OtlpEndpoint, "an http or https URI such as http://otel-collector:4317 (or empty)");
        Path(failures, nameof(options.HealthPath), options.HealthPath);
        Path(failures, nameof(options.MetricsPath), options.MetricsPath);
        Path(failures, nameof(options.DashboardPath), options.DashboardPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Port(List<string> failures, string setting, int value) =>
        Require(failures, value is >= 0 and <= 65535, setting, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "0 (a free port) to 65535");

    private static void ListeningPort(List<string> failures, string setting, int? value) =>
        Require(failures, value is null or (>= 1 and <= 65535), setting, value?.ToString(System.Globalization.CultureInfo.InvariantCulture), "1 to 65535 (or empty: the advertised port)");

    private static void Address(List<string> failures, string setting, string value) =>
        Require(failures, IPAddress.TryParse(value, out _), setting, value, "an IP address such as 127.0.0.1 or 0.0.0.0");

    private static void Path(List<string> failures, string setting, string value) =>
        Require(failures, value is ['/', _, ..], setting, value, "a path starting with '/'");

    private static void Require(List<string> failures, bool valid, string setting, string? value, string allowed)
    {
        if (!valid)
        {
            failures.Add($"{ActorsSiloOptions.SectionName}:{setting} is '{value}'; it must be {allowed}.");
        }
    }
}
