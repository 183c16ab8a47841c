namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// Systematic concurrency testing without timing: runs a scenario's model threads one at a time and enumerates the
/// orders in which they can reach their interleaving points (and, for <see cref="TsoCell"/>s, when buffered stores
/// become visible), depth-first under a preemption bound, until a violation is found, the schedules are exhausted, or
/// the execution budget is spent.
/// </summary>
/// <remarks>
/// Runtime code reaches the explorer through <see cref="Actors.Runtime.Concurrency.InterleavingPoints"/> (gates, pool
/// dispatch, points before atomic operations); the scenario itself uses <see cref="ExplorationRun"/>. Every execution
/// starts from a fresh scenario, so the scenario must build all its state inside the setup delegate.
/// </remarks>
internal static class InterleavingExplorer
{
    /// <summary>Explores <paramref name="scenario"/> (called once per execution to build state and spawn threads).</summary>
    /// <param name="scenario">Builds the execution's state and spawns its threads.</param>
    /// <param name="preemptionBound">The most switches away from a thread that could continue, per execution.</param>
    /// <param name="maxExecutions">The execution budget.</param>
    /// <param name="storeBuffers">Whether <see cref="TsoCell"/> stores are buffered (x86-TSO) or visible at once.</param>
    public static ExplorationResult Explore(Action<ExplorationRun> scenario, int preemptionBound = 2, int maxExecutions = 20_000, bool storeBuffers = true)
    {
        ExplorerController.EnsureInstalled();
        var chooser = new DepthFirstChooser(preemptionBound);
        int executions = 0;
        int maxSteps = 0;
        while (true)
        {
            chooser.Restart();
            var run = new ExplorationRun(storeBuffers);
            scenario(run);
            run.Execute(chooser);
            executions++;
            maxSteps = Math.Max(maxSteps, run.Steps);
            if (run.Violations.Count > 0)
            {
                return new ExplorationResult(executions, Exhaustive: false, maxSteps, run.Violations, run.Trace);
            }

            if (!chooser.Advance())
            {
                return new ExplorationResult(executions, Exhaustive: true, maxSteps, [], []);
            }

            if (executions >= maxExecutions)
            {
                return new ExplorationResult(executions, Exhaustive: false, maxSteps, [], []);
            }
        }
    }
}
