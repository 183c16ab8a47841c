using System.Globalization;

namespace Actors.Orleans.Crash.Tests;

/// <summary>
/// The kill test's size, overridable through the environment for longer campaigns: <c>ACTORS_ORLEANS_KILL_CYCLES</c>
/// (default 8), <c>ACTORS_ORLEANS_KILL_SEED</c> (default 36), <c>ACTORS_ORLEANS_KILL_MAX_OPERATIONS</c> (the most
/// acknowledgements between two kills, default 750).
/// </summary>
/// <remarks>
/// A cycle's cost is the silo's restart (its CPU is mostly the start of a .NET and Orleans process), not its load. The
/// CI defaults (8 kills at a random point within 1-750 acknowledgements) acknowledge about as many calls as the
/// former 20 kills within 1-300 did (about 3,000), so the log grows through as many grain checkpoints, and every cycle
/// still kills with calls in flight and judges each of them whole or absent; longer runs set the variables.
/// </remarks>
public sealed record KillCycleSettings(int Cycles, int Seed, int MaxOperationsBeforeKill)
{
    /// <summary>Accounts (journaled grains).</summary>
    public int Accounts { get; init; } = 40;

    /// <summary>Customers (two persistent states each).</summary>
    public int Customers { get; init; } = 12;

    /// <summary>Concurrent callers.</summary>
    public int Workers { get; init; } = 8;

    /// <summary>The settings from the environment, with the CI defaults.</summary>
    public static KillCycleSettings FromEnvironment() => new(
        Read("ACTORS_ORLEANS_KILL_CYCLES", 8),
        Read("ACTORS_ORLEANS_KILL_SEED", 36),
        Read("ACTORS_ORLEANS_KILL_MAX_OPERATIONS", 750));

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;
}
