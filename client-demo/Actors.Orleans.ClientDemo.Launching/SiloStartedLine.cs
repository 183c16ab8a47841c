using System.Net;
using System.Text.RegularExpressions;

namespace Actors.Orleans.ClientDemo.Launching;

/// <summary>The endpoints the silo announces in its startup line (logged by silo/Actors.Orleans.Silo's <c>SiloStartupLog</c>).</summary>
/// <param name="Gateway">The gateway clients connect to.</param>
/// <param name="Health">The health endpoint.</param>
/// <param name="Metrics">The Prometheus endpoint.</param>
/// <param name="Dashboard">The dashboard, or "off".</param>
public sealed partial record SiloStartedLine(IPEndPoint Gateway, Uri Health, string Metrics, string Dashboard)
{
    /// <summary>Parses a line of the silo's output; null when it is not the startup line.</summary>
    public static SiloStartedLine? TryParse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Match match = Pattern().Match(line);
        return match.Success
            && IPEndPoint.TryParse(match.Groups["gateway"].Value, out IPEndPoint? gateway)
            && Uri.TryCreate(match.Groups["health"].Value, UriKind.Absolute, out Uri? health)
            ? new SiloStartedLine(gateway, health, match.Groups["metrics"].Value, match.Groups["dashboard"].Value)
            : null;
    }

    [GeneratedRegex(@"Actors Orleans silo started: .*, gateway (?<gateway>[^,\s]+), health (?<health>[^,\s]+), metrics (?<metrics>[^,\s]+), dashboard (?<dashboard>\S+)")]
    private static partial Regex Pattern();
}
