namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// The preemption bound the production scenarios use: small by default so the normal test run stays short, raised by
/// the long form (<c>ACTORS_INTERLEAVING_BOUND=4 scripts/runtime-bench.sh interleavings</c>).
/// </summary>
internal static class ExplorationBounds
{
    public const string Variable = "ACTORS_INTERLEAVING_BOUND";

    /// <summary>The bound from <see cref="Variable"/>, or <paramref name="defaultBound"/>.</summary>
    public static int Preemptions(int defaultBound)
        => int.TryParse(Environment.GetEnvironmentVariable(Variable), out int bound) && bound > 0 ? bound : defaultBound;

    /// <summary>The execution budget: generous enough that the default bounds explore exhaustively.</summary>
    public static int MaxExecutions => Environment.GetEnvironmentVariable(Variable) is null ? 20_000 : 2_000_000;
}
