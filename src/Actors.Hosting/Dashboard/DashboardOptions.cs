namespace Actors.Hosting.Dashboard;

/// <summary>
/// The silo's live dashboard (section <c>Actors:Dashboard</c>, e.g. <c>ACTORS__DASHBOARD__ENABLED=true</c>): a web page
/// served on the silo's HTTP port that charts its metrics. Off by default.
/// </summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Actors:Dashboard";

    /// <summary>The default path of the page.</summary>
    public const string DefaultPath = "/dashboard";

    /// <summary>The default time between two refreshes of the page: 1 second.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>True to serve the dashboard. Default false (production silos opt in).</summary>
    public bool Enabled { get; set; }

    /// <summary>The path of the page; starts with '/', no trailing '/'. Default <see cref="DefaultPath"/>.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>How often the page asks for new values; 100 ms to 1 minute. Default <see cref="DefaultRefreshInterval"/>.</summary>
    public TimeSpan RefreshInterval { get; set; } = DefaultRefreshInterval;
}
