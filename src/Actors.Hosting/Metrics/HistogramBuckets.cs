namespace Actors.Hosting.Metrics;

/// <summary>
/// The bucket bounds the collector uses for a histogram that does not advise its own
/// (<see cref="System.Diagnostics.Metrics.InstrumentAdvice{T}.HistogramBucketBoundaries"/>), chosen by unit.
/// </summary>
/// <remarks>
/// Durations in milliseconds get fine buckets below 1 ms because an fsync on a local SSD takes 0.05 to 0.5 ms; counts
/// (<c>{batch}</c>, <c>{record}</c>...) get powers of two, which show how many appends one group commit carries.
/// </remarks>
public static class HistogramBuckets
{
    /// <summary>Bounds for <c>ms</c>: 10 us to 60 s.</summary>
    public static readonly IReadOnlyList<double> Milliseconds =
        [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 3, 5, 7.5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000];

    /// <summary>Bounds for <c>s</c>: the millisecond bounds in seconds.</summary>
    public static readonly IReadOnlyList<double> Seconds = [.. Milliseconds.Select(b => b / 1000)];

    /// <summary>Bounds for <c>By</c>: 64 B to 64 MiB in powers of four.</summary>
    public static readonly IReadOnlyList<double> Bytes = [.. Enumerable.Range(0, 11).Select(i => 64.0 * Math.Pow(4, i))];

    /// <summary>Bounds for counts and every other unit: 1 to 4,096 in powers of two.</summary>
    public static readonly IReadOnlyList<double> Counts = [.. Enumerable.Range(0, 13).Select(i => Math.Pow(2, i))];

    /// <summary>The default bounds for <paramref name="unit"/>.</summary>
    public static IReadOnlyList<double> ForUnit(string? unit) => unit switch
    {
        "ms" => Milliseconds,
        "s" => Seconds,
        "By" => Bytes,
        _ => Counts,
    };
}
