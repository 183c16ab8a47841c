namespace Actors.Wal.Tests.Interleaving;

/// <summary>What an exploration found: how many executions ran, whether they were all of them, the first failure and its trace.</summary>
internal sealed record ExplorationResult(int Executions, bool Exhaustive, string? Failure, IReadOnlyList<string> FailureTrace)
{
    /// <summary>The failure with the steps that led to it, for an assertion message.</summary>
    public override string ToString() => Failure is null
        ? $"{Executions} executions, exhaustive: {Exhaustive}"
        : $"{Failure} after {Executions} executions; steps: {string.Join(" -> ", FailureTrace)}";
}
