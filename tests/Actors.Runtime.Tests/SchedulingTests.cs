using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

public sealed class SchedulingTests
{
    private static TestSilo StartSilo(Probe probe, TimeSpan? responseTimeout = null) => TestSilo.Start(
        s => s.AddGrain<TurnGrain>().AddGrain<ReentrantTurnGrain>().AddGrain<CycleGrain>(),
        settings => settings.ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(30),
        services: services => services.AddSingleton(probe));

    [Fact]
    public async Task Call_ManyConcurrentCallsToNonReentrantGrain_NoTurnsOverlap()
    {
        var probe = new Probe();
        await using TestSilo silo = StartSilo(probe);
        ITurnGrain grain = silo.Factory.GetGrain<ITurnGrain>("one");

        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => grain.Work(4))));

        Assert.Equal(0, await grain.Overlaps());
        Assert.Equal(1, await grain.MaxInFlight());
    }

    [Fact]
    public async Task Call_ManyConcurrentCallsToReentrantGrain_RequestsInterleaveButSegmentsNeverRunInParallel()
    {
        var probe = new Probe();
        await using TestSilo silo = StartSilo(probe);
        IReentrantTurnGrain grain = silo.Factory.GetGrain<IReentrantTurnGrain>("one");

        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => grain.Work(4))));

        Assert.Equal(0, await grain.Overlaps());
        Assert.True(await grain.MaxInFlight() > 1, "a reentrant grain should have had several requests in flight");
    }

    [Fact]
    public async Task Call_WhileNonReentrantRequestAwaits_SecondRequestWaitsInQueue()
    {
        var probe = new Probe();
        await using TestSilo silo = StartSilo(probe);
        ITurnGrain grain = silo.Factory.GetGrain<ITurnGrain>("blocked");

        Task first = grain.Blocked("a");
        await probe.WaitForAsync("start:a");
        Task second = grain.Blocked("b");
        Assert.True(silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out ActivationData activation));
        await Probe.WaitUntilAsync(() => activation.QueueLength == 1, "the second request queued behind the first");
        Assert.Equal(0, probe.Count("start:b"));

        probe.Gate("a").SetResult();
        await probe.WaitForAsync("start:b");
        probe.Gate("b").SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(["start:a", "end:a", "start:b", "end:b"], probe.Events);
    }

    [Fact]
    public async Task Call_WhileReentrantRequestAwaits_SecondRequestRuns()
    {
        var probe = new Probe();
        await using TestSilo silo = StartSilo(probe);
        IReentrantTurnGrain grain = silo.Factory.GetGrain<IReentrantTurnGrain>("interleave");

        Task first = grain.Blocked("a");
        await probe.WaitForAsync("start:a");
        Task second = grain.Blocked("b");
        await probe.WaitForAsync("start:b");
        probe.Gate("b").SetResult();
        await second;
        Assert.False(first.IsCompleted);
        probe.Gate("a").SetResult();
        await first;

        Assert.Equal(["start:a", "start:b", "end:b", "end:a"], probe.Events);
    }

    [Fact]
    public async Task Call_ContinuationsAfterAwait_StayOnActivationScheduler()
    {
        await using TestSilo silo = StartSilo(new Probe());
        Assert.True(await silo.Factory.GetGrain<ITurnGrain>("sched").RunsOnActivationScheduler());
    }

    [Fact]
    public async Task Call_CycleBetweenNonReentrantGrains_FailsWithTimeoutException()
    {
        var probe = new Probe();
        await using TestSilo silo = StartSilo(probe, TimeSpan.FromMilliseconds(300));
        ICycleGrain a = silo.Factory.GetGrain<ICycleGrain>("a");

        TimeoutException error = await Assert.ThrowsAnyAsync<TimeoutException>(() => a.CallPeer("b", 2));

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        // The caller gave up first; the cycle's inner calls unwind on their own deadlines. Ping once both grains' cycle
        // turns have ended, so the pings do not wait behind them (a ping must not need the unwinding to fit its own
        // 300 ms: on a loaded machine it did not).
        await probe.WaitForAsync("cycle-end:b");
        await probe.WaitForAsync("cycle-end:a");
        Assert.Equal("pong:a", await a.Ping());
        Assert.Equal("pong:b", await silo.Factory.GetGrain<ICycleGrain>("b").Ping());
    }

    [Fact]
    public async Task Call_GrainSlowerThanResponseTimeout_FailsWhenManualClockPassesDeadline()
    {
        var probe = new Probe();
        var time = new ManualTimeProvider();
        await using TestSilo silo = TestSilo.Start(
            s => s.AddGrain<TurnGrain>(),
            settings => settings.ResponseTimeout = TimeSpan.FromSeconds(10),
            time,
            services => services.AddSingleton(probe));
        ITurnGrain grain = silo.Factory.GetGrain<ITurnGrain>("slow");
        Task slow = grain.Blocked("never");
        await probe.WaitForAsync("start:never");
        Task queued = grain.Blocked("queued");

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(slow.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAsync<TimeoutException>(() => slow);
        await Assert.ThrowsAsync<TimeoutException>(() => queued);
        probe.Gate("never").SetResult();
        Assert.Equal(0, await grain.Overlaps());
        Assert.Equal(0, probe.Count("start:queued"));
    }

    [Fact]
    public async Task Call_ChainWithoutCycle_Completes()
    {
        await using TestSilo silo = StartSilo(new Probe());
        Assert.Equal("a", await silo.Factory.GetGrain<ICycleGrain>("b").CallPeer("a", 1));
    }
}
