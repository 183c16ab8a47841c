namespace Actors.Hosting.Dashboard;

/// <summary>
/// Adds a panel to the silo dashboard. Register implementations as singletons
/// (<c>services.AddSingleton&lt;IDashboardPanelSource, MySource&gt;()</c>); the page shows one panel per source, in
/// registration order, after the built-in metric panels. This is how a feature (cluster membership and partitions,
/// reminders) brings its own panel: the page needs no change.
/// </summary>
/// <remarks>Called on every refresh of every open dashboard (about once a second each): keep it cheap and thread-safe.</remarks>
public interface IDashboardPanelSource
{
    /// <summary>The panel as of now, or null to show none this time (for example before the feature has started).</summary>
    ValueTask<DashboardPanel?> GetPanelAsync(CancellationToken cancellationToken);
}
