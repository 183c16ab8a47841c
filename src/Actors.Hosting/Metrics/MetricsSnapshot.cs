namespace Actors.Hosting.Metrics;

/// <summary>The values of every instrument the collector listens to, read at one moment.</summary>
/// <param name="Timestamp">When the snapshot was taken.</param>
/// <param name="Families">The metric families, ordered by name.</param>
/// <param name="ObservationErrors">Messages of observable-instrument callbacks that threw during this collection (their values are missing).</param>
public sealed record MetricsSnapshot(DateTimeOffset Timestamp, IReadOnlyList<MetricFamily> Families, IReadOnlyList<string> ObservationErrors)
{
    /// <summary>The family named <paramref name="name"/>, or null.</summary>
    public MetricFamily? Find(string name) => Families.FirstOrDefault(f => f.Name == name);
}
