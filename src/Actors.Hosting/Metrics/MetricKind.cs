namespace Actors.Hosting.Metrics;

/// <summary>How a metric family's values are read, in Prometheus terms.</summary>
public enum MetricKind
{
    /// <summary>A cumulative total that only grows (a <c>Counter</c> or <c>ObservableCounter</c>).</summary>
    Counter,

    /// <summary>A value that goes up and down (an <c>UpDownCounter</c>, a gauge, or their observable forms).</summary>
    Gauge,

    /// <summary>A distribution: bucket counts, a count and a sum (a <c>Histogram</c>).</summary>
    Histogram,
}
