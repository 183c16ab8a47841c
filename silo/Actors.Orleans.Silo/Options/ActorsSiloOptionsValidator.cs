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
        Port(failures, nameof(options.HttpPort), options.HttpPort);
        Require(failures, IPAddress.TryParse(options.HttpBindAddress, out _), nameof(options.HttpBindAddress), options.HttpBindAddress, "an IP address such as 127.0.0.1 or 0.0.0.0");
        Require(failures, Enum.IsDefined(options.SyncPolicy), nameof(options.SyncPolicy), options.SyncPolicy.ToString(), "Always, Interval or None");
        Require(failures, options.SegmentSizeBytes >= 64 * 1024, nameof(options.SegmentSizeBytes), options.SegmentSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "at least 65536");
        Path(failures, nameof(options.HealthPath), options.HealthPath);
        Path(failures, nameof(options.MetricsPath), options.MetricsPath);
        Path(failures, nameof(options.DashboardPath), options.DashboardPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Port(List<string> failures, string setting, int value) =>
        Require(failures, value is >= 0 and <= 65535, setting, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "0 (a free port) to 65535");

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
