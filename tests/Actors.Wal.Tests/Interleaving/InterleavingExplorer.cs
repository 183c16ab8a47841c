namespace Actors.Wal.Tests.Interleaving;

/// <summary>
/// Enumerates every execution of a scenario under <see cref="StepScheduler"/> with at most a given number of preemptions
/// (depth-first over the scheduler's picks), stopping at the first failure: a deadlock, an exception in a scenario
/// thread, or a failed check.
/// </summary>
internal static class InterleavingExplorer
{
    /// <summary>
    /// Explores <paramref name="scenario"/>, which builds fresh state for each execution, spawns its threads on the
    /// scheduler it is given, and returns the check to run once they are done.
    /// </summary>
    public static ExplorationResult Explore(Func<StepScheduler, Action> scenario, int preemptionBound, int maxExecutions = 20_000)
    {
        var prefix = new List<int>();
        for (int executions = 1; ; executions++)
        {
            var scheduler = new StepScheduler(prefix, preemptionBound);
            var check = scenario(scheduler);
            scheduler.Run();
            string? failure = scheduler.Deadlocked ? "deadlock: a thread waits on the signal and no thread can set it"
                : scheduler.Errors.Count > 0 ? scheduler.Errors[0].ToString()
                : null;
            if (failure is null)
            {
                try
                {
                    check();
                }
                catch (Exception ex)
                {
                    failure = ex.Message;
                }
            }

            if (failure is not null)
            {
                return new ExplorationResult(executions, Exhaustive: false, failure, scheduler.Trace);
            }

            int last = scheduler.Picks.FindLastIndex(p => p.Chosen + 1 < p.Options);
            if (last < 0)
            {
                return new ExplorationResult(executions, Exhaustive: true, null, []);
            }

            if (executions >= maxExecutions)
            {
                return new ExplorationResult(executions, Exhaustive: false, null, []);
            }

            prefix = scheduler.Picks.Take(last).Select(p => p.Chosen).Append(scheduler.Picks[last].Chosen + 1).ToList();
        }
    }
}
