using Actors.Benchmarks.Infrastructure;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 6: journaled grain calls per second (each call raises and confirms one event), in-process and
/// through the gateway, with 1,000 grains. The runtime, the grain storage provider and the gateway are not in
/// this build yet, so this scenario reports that honestly instead of a figure.
/// </summary>
internal sealed class GrainCallsScenario : IScenario
{
    public int Number => 6;

    public string Key => "grains";

    public string Title => "Journaled grain calls";

    public Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var table = new Table("path", "grains", "calls/s", "p50", "p99");
        table.Add("in-process", "1,000", "not available yet", "-", "-");
        table.Add("through the gateway", "1,000", "not available yet", "-", "-");
        context.Report.Note("\nNot available yet: the runtime, journaled grains and the gateway have not landed in this build.\n");
        context.Report.Print(table);
        context.AddGoal(new GoalResult("journaled grain calls/s (no numeric goal in the issue)", "not available yet", "not measured"));
        return Task.CompletedTask;
    }
}
