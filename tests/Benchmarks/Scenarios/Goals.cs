using Actors.Benchmarks.Infrastructure;

namespace Actors.Benchmarks.Scenarios;

/// <summary>Turns a measured figure and a goal into a verdict line.</summary>
internal static class Goals
{
    /// <summary>A goal where more is better (throughput, ratio).</summary>
    public static string AtLeast(double? measured, double goal) =>
        measured is not { } m ? "not measured"
        : m >= goal ? $"met ({Fmt.Ratio(m, goal)} the goal)"
        : $"missed: {Fmt.Percent(m, goal)} of the goal";

    /// <summary>A goal where less is better (latency, bytes).</summary>
    public static string AtMost(double? measured, double goal) =>
        measured is not { } m ? "not measured"
        : m <= goal ? $"met ({Fmt.Percent(m, goal)} of the limit)"
        : $"missed: {Fmt.Ratio(m, goal)} the limit";
}
