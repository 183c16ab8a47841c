namespace Actors.Hosting.Metrics;

/// <summary>One series of a metric family at collection time: its tags and its value or distribution.</summary>
/// <param name="Tags">The tags (attributes) of the series, sorted by key; values rendered as invariant strings.</param>
/// <param name="Value">The counter total or the gauge value; for a histogram, its sum.</param>
/// <param name="Histogram">The distribution for a histogram family, else null.</param>
public sealed record MetricPoint(IReadOnlyList<KeyValuePair<string, string>> Tags, double Value, HistogramData? Histogram);
