using Xunit.Abstractions;

namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// The activation scheduler's hand-off between producers (tasks queued from any thread) and its single drain, explored
/// systematically. The legacy tests show the explorer reproduces the lost wakeup that wedged grains, on a faithful
/// copy of the old code, only when the memory model lets a load pass an earlier store; the production tests explore
/// the real <see cref="ActivationTaskScheduler"/> through its interleaving points.
/// </summary>
public sealed class SchedulerInterleavingTests(ITestOutputHelper output)
{
    [Fact]
    public void LegacyScheduler_VolatileWriteFlagRelease_ExplorerFindsLostWakeup()
    {
        ExplorationResult result = InterleavingExplorer.Explore(run => LegacyScenario(run, FlagRelease.VolatileWrite, turnBatch: 64));
        output.WriteLine(result.ToString());

        Assert.True(result.Failed, $"expected the lost wakeup; {result}");
        Assert.Contains(result.Violations, v => v.Contains("never ran", StringComparison.Ordinal));
    }

    [Fact]
    public void LegacyScheduler_VolatileWriteFlagReleaseWithoutStoreBuffers_NoLostWakeup()
    {
        // Under sequential consistency the old code is correct: the bug needs the store-load reordering x86 performs,
        // which is why ordinary tests (and interleaving testers that assume sequential consistency) never saw it.
        ExplorationResult result = InterleavingExplorer.Explore(run => LegacyScenario(run, FlagRelease.VolatileWrite, turnBatch: 64), storeBuffers: false);
        result.AssertExhaustiveWithoutViolation(output);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1)]
    public void LegacyScheduler_InterlockedExchangeFlagRelease_NoLostWakeup(int turnBatch)
    {
        ExplorationResult result = InterleavingExplorer.Explore(run => LegacyScenario(run, FlagRelease.InterlockedExchange, turnBatch));
        result.AssertExhaustiveWithoutViolation(output);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1)]
    public void ActivationTaskScheduler_ThreeProducers_EveryTaskRunsOnceInOrderNeverInParallel(int turnBatch)
    {
        ExplorationResult result = InterleavingExplorer.Explore(run =>
        {
            var probe = new SchedulerProbe(run, new ActivationTaskScheduler(turnBatch));
            run.Spawn("producer-a", () => probe.Queue("a1", "a2"));
            run.Spawn("producer-b", () => probe.Queue("b1", "b2"));
            run.Spawn("producer-c", () => probe.Queue("c1"));
            run.AtEnd(probe.CheckAllRanInOrder);
        }, preemptionBound: ExplorationBounds.Preemptions(2), maxExecutions: ExplorationBounds.MaxExecutions);
        result.AssertExhaustiveWithoutViolation(output);
        Assert.True(result.Executions > 50, $"the exploration should branch; {result}");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1)]
    public void ActivationTaskScheduler_TaskQueuesContinuationWhileProducerQueues_EveryTaskRunsOnce(int turnBatch)
    {
        ExplorationResult result = InterleavingExplorer.Explore(run =>
        {
            var probe = new SchedulerProbe(run, new ActivationTaskScheduler(turnBatch));
            run.Spawn("producer-a", () => probe.Queue("a1", continuation: "a1-continuation"));
            run.Spawn("producer-b", () => probe.Queue("b1"));
            run.AtEnd(probe.CheckAllRanInOrder);
        }, preemptionBound: ExplorationBounds.Preemptions(2), maxExecutions: ExplorationBounds.MaxExecutions);
        result.AssertExhaustiveWithoutViolation(output);
    }

    private static void LegacyScenario(ExplorationRun run, FlagRelease release, int turnBatch)
    {
        var scheduler = new LegacySchedulerModel(run, release, turnBatch);
        run.Spawn("producer-1", () => scheduler.QueueTask(1));
        run.Spawn("producer-2", () => scheduler.QueueTask(2));
        run.AtEnd(() =>
        {
            foreach (int task in new[] { 1, 2 }.Where(t => !scheduler.Ran.Contains(t)))
            {
                run.Fail($"task {task} was queued but never ran: no drain was scheduled for it (lost wakeup)");
            }
        });
    }
}
