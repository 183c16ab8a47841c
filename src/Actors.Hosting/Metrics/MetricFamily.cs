namespace Actors.Hosting.Metrics;

/// <summary>Every series of one instrument name at collection time.</summary>
/// <param name="MeterName">The meter that published the instrument (for example <c>Actors.Wal</c>).</param>
/// <param name="Name">The instrument name (for example <c>actors.wal.fsync.duration</c>).</param>
/// <param name="Unit">The instrument's unit in UCUM form (<c>ms</c>, <c>By</c>, <c>{call}</c>), or empty.</param>
/// <param name="Description">The instrument's description, or empty.</param>
/// <param name="Kind">How the values are read.</param>
/// <param name="Points">The series, one per distinct tag set.</param>
public sealed record MetricFamily(string MeterName, string Name, string Unit, string Description, MetricKind Kind, IReadOnlyList<MetricPoint> Points);
