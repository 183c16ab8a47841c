namespace Actors.Hosting.Metrics;

/// <summary>
/// Which meters the silo's <see cref="MetricsCollector"/> listens to, and where Prometheus scrapes them
/// (section <c>Actors:Metrics</c>, e.g. <c>ACTORS__METRICS__PATH</c>).
/// </summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Actors:Metrics";

    /// <summary>The default scrape path.</summary>
    public const string DefaultPath = "/metrics";

    /// <summary>
    /// The default meters: every Actors meter (<c>Actors.Wal</c>, <c>Actors.Persistence.Wal</c>, <c>Actors.Runtime</c>,
    /// <c>Actors.Gateway</c> and any added later) and the .NET runtime's own (<c>System.Runtime</c>: GC, thread pool, CPU, memory).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultMeters = ["Actors.*", "System.Runtime"];

    /// <summary>True to serve <see cref="Path"/> (Prometheus text format). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The HTTP path of the Prometheus endpoint; starts with '/'. Default <see cref="DefaultPath"/>.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// Meter names to listen to; a name ending in <c>.*</c> matches every meter with that prefix. Empty: <see cref="DefaultMeters"/>.
    /// </summary>
    public IList<string> Meters { get; set; } = [];

    /// <summary>True when <paramref name="meterName"/> matches one of <paramref name="patterns"/>.</summary>
    public static bool Matches(IEnumerable<string> patterns, string meterName)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (string pattern in patterns)
        {
            if (pattern.EndsWith(".*", StringComparison.Ordinal)
                ? meterName.StartsWith(pattern[..^1], StringComparison.Ordinal)
                : meterName == pattern)
            {
                return true;
            }
        }

        return false;
    }
}
