namespace Actors.Hosting.Metrics;

/// <summary>A histogram series: explicit bucket upper bounds and the number of measurements in each bucket.</summary>
/// <param name="Bounds">The inclusive upper bounds, ascending; the last bucket (above the last bound) is +Inf.</param>
/// <param name="BucketCounts">Per bucket (not cumulative), <c>Bounds.Count + 1</c> entries.</param>
/// <param name="Count">The number of measurements: the sum of <paramref name="BucketCounts"/>.</param>
/// <param name="Sum">The sum of the measurements.</param>
public sealed record HistogramData(IReadOnlyList<double> Bounds, IReadOnlyList<long> BucketCounts, long Count, double Sum);
