namespace Actors.Benchmarks.Infrastructure;

/// <summary>A driver result, or why there is none ("not run", "pending", "failed: ...").</summary>
/// <param name="Result">The measurement, when it ran.</param>
/// <param name="Status">What to print instead of a figure when <paramref name="Result"/> is null.</param>
internal sealed record Outcome(ThroughputResult? Result, string Status)
{
    public double? OpsPerSecond => Result?.OpsPerSecond;

    public double? BytesPerSecond => Result?.BytesPerSecond;

    public TimeSpan? P50 => Result?.P50;

    public TimeSpan? P99 => Result?.P99;

    public string Cell(Func<ThroughputResult, string> format) => Result is null ? Status : format(Result);
}
