namespace Actors.Runtime.Tests.Interleaving;

/// <summary>What an exploration found.</summary>
/// <param name="Executions">How many executions (schedules) ran.</param>
/// <param name="Exhaustive">True when every schedule within the preemption bound was explored without a violation.</param>
/// <param name="MaxSteps">The longest execution, in scheduling steps.</param>
/// <param name="Violations">The violations of the failing execution (empty when none failed).</param>
/// <param name="Trace">The steps of the failing execution.</param>
internal sealed record ExplorationResult(int Executions, bool Exhaustive, int MaxSteps, IReadOnlyList<string> Violations, IReadOnlyList<string> Trace)
{
    public bool Failed => Violations.Count > 0;

    /// <summary>Writes the report to the test output and asserts that every schedule within the bound was explored cleanly.</summary>
    public void AssertExhaustiveWithoutViolation(Xunit.Abstractions.ITestOutputHelper output)
    {
        output.WriteLine(ToString());
        Assert.False(Failed, ToString());
        Assert.True(Exhaustive, ToString());
    }

    /// <summary>A report for assertion messages: counts, violations and the failing schedule.</summary>
    public override string ToString()
        => $"{Executions} executions ({(Exhaustive ? "exhaustive within the bound" : "not exhaustive")}, up to {MaxSteps} steps)"
            + (Failed ? $"; violation: {string.Join("; ", Violations)}\nschedule:\n  {string.Join("\n  ", Trace)}" : "; no violation");
}
