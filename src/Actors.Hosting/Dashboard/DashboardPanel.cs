namespace Actors.Hosting.Dashboard;

/// <summary>
/// A panel a <see cref="IDashboardPanelSource"/> adds to the dashboard: a table, and optionally numbers the page
/// charts over time (one line per entry).
/// </summary>
/// <param name="Id">A stable id (letters, digits, '-'); the page's element is <c>panel-&lt;Id&gt;</c>.</param>
/// <param name="Title">The panel's heading.</param>
/// <param name="Columns">The table's column headings.</param>
/// <param name="Rows">The table's rows, each with one cell per column.</param>
public sealed record DashboardPanel(string Id, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>Numbers to chart over time, by series label (for example reminders due per silo). Empty: no chart.</summary>
    public IReadOnlyDictionary<string, double> Chart { get; init; } = new Dictionary<string, double>();

    /// <summary>A line under the table (what the numbers mean, or why something is missing), or null.</summary>
    public string? Note { get; init; }
}
