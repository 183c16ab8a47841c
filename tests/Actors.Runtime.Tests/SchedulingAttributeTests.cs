using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

/// <summary>Orleans's scheduling attributes and call-chain reentrancy on non-reentrant grains.</summary>
public sealed class SchedulingAttributeTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task AlwaysInterleave_RunsWhileARequestIsBlocked_AndIsNotHeldBackByQueuedRequests()
    {
        await using TestSilo silo = Start();
        IAttributedGrain grain = silo.Factory.GetGrain<IAttributedGrain>("ai");
        Task blocked = grain.Blocked("a");
        await _probe.WaitForAsync("start:a");
        Task<string> queued = grain.Plain("queued");

        Assert.Equal("x", await grain.Interleaving("x"));
        Assert.Equal("m", await grain.ReentrantMethod("m"));

        Assert.False(queued.IsCompleted);
        _probe.Gate("a").SetResult();
        await Task.WhenAll(blocked, queued);
        Assert.Equal(["start:a", "interleaving:x", "reentrant-method:m", "end:a", "plain:queued"], _probe.Events);
    }

    [Fact]
    public async Task ReadOnly_ReadsInterleave_AWriteWaitsUntilEveryReadEnded()
    {
        await using TestSilo silo = Start();
        IAttributedGrain grain = silo.Factory.GetGrain<IAttributedGrain>("ro");
        Task first = grain.Read("r1");
        await _probe.WaitForAsync("start:r1");
        Task second = grain.Read("r2");
        await _probe.WaitForAsync("start:r2");
        Task write = grain.Write("w");

        _probe.Gate("r1").SetResult();
        await first;
        Assert.Equal(0, _probe.Count("start:w"));
        _probe.Gate("r2").SetResult();
        await second;
        await _probe.WaitForAsync("start:w");
        _probe.Gate("w").SetResult();
        await write;

        Assert.Equal(["start:r1", "start:r2", "end:r1", "end:r2", "start:w", "end:w"], _probe.Events);
    }

    [Fact]
    public async Task ReadOnly_WhileAWriteRuns_Waits()
    {
        await using TestSilo silo = Start();
        IAttributedGrain grain = silo.Factory.GetGrain<IAttributedGrain>("rw");
        Task write = grain.Write("w");
        await _probe.WaitForAsync("start:w");
        Task read = grain.Read("r");
        Assert.True(silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out ActivationData activation));
        await Probe.WaitUntilAsync(() => activation.QueueLength == 1, "the read queued behind the write");

        _probe.Gate("w").SetResult();
        _probe.Gate("r").SetResult();
        await Task.WhenAll(write, read);
        Assert.Equal(["start:w", "end:w", "start:r", "end:r"], _probe.Events);
    }

    [Fact]
    public async Task MayInterleave_PredicateTrue_StartsWhileAnotherRuns_PredicateFalse_Waits()
    {
        await using TestSilo silo = Start();
        IPredicateGrain grain = silo.Factory.GetGrain<IPredicateGrain>("p");
        Task blocked = grain.Blocked("b");
        await _probe.WaitForAsync("start:b");
        Task<string> waits = grain.Work("x");

        Assert.Equal("interleave", await grain.Work("interleave"));
        Assert.False(waits.IsCompleted);

        _probe.Gate("b").SetResult();
        Assert.Equal("x", await waits);
        await blocked;
        Assert.Equal(["start:b", "plain:interleave", "end:b", "plain:x"], _probe.Events);
    }

    [Fact]
    public async Task CallChainReentrancy_Allowed_AGrainCalledBackThroughAnotherCompletes()
    {
        await using TestSilo silo = Start();

        string result = await silo.Factory.GetGrain<IChainGrain>("a").RoundTrip("b", allowReentrancy: true, suppressInside: false);

        Assert.Equal("a echoes via b", result);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task CallChainReentrancy_NotAllowedOrSuppressed_TheCycleTimesOut(bool allow, bool suppress)
    {
        await using TestSilo silo = Start(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<TimeoutException>(() => silo.Factory.GetGrain<IChainGrain>("c").RoundTrip("d", allow, suppress));
    }

    [Fact]
    public async Task OneWay_CallerCompletesBeforeTheGrain_AndAFailureIsNotReported()
    {
        await using TestSilo silo = Start();
        IAttributedGrain grain = silo.Factory.GetGrain<IAttributedGrain>("ow");

        await grain.Fire("f");
        await grain.FireAndFail();
        await _probe.WaitForAsync("start:f");
        Assert.Equal(0, _probe.Count("end:f"));

        _probe.Gate("f").SetResult();
        await _probe.WaitForAsync("end:f");
    }

    [Fact]
    public void OneWay_OnAMethodReturningAValue_IsRefusedWhenTheMethodIsDescribed()
    {
        var error = Assert.Throws<ArgumentException>(() => Actors.Invocation.GrainMethod.For(typeof(IBadOneWay).GetMethod(nameof(IBadOneWay.Compute))!));

        Assert.Contains("[OneWay]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatelessWorker_UpToTheLimitRunInParallel_TheNextWaits()
    {
        await using TestSilo silo = Start();
        IWorkerGrain worker = silo.Factory.GetGrain<IWorkerGrain>(0);

        Task<int> one = worker.Work("1");
        Task<int> two = worker.Work("2");
        await _probe.WaitForAsync("start:1");
        await _probe.WaitForAsync("start:2");
        Task<int> three = worker.Work("3");
        Assert.Equal(0, _probe.Count("start:3"));

        _probe.Gate("1").SetResult();
        int first = await one;
        await _probe.WaitForAsync("start:3");
        _probe.Gate("2").SetResult();
        _probe.Gate("3").SetResult();
        int[] all = [first, await two, await three];

        Assert.Equal(2, all.Distinct().Count());
        Assert.Equal(first, all[2]);
        Assert.Equal(2, silo.Runtime.Catalog.Count);
    }

    [Fact]
    public async Task StatelessWorker_TwoCallsChosenBeforeEitherIsQueued_GoToTwoWorkers()
    {
        await using TestSilo silo = Start();
        var classInfo = new GrainClassInfo(typeof(WorkerGrain));
        var id = GrainId.Create("worker-race", "0");

        // The pool chooses for two calls before either is offered to its worker (two callers at the same moment): the
        // first choice counts, so the second does not find the new worker idle and queue behind the first.
        ActivationData first = silo.Runtime.Catalog.GetOrCreate(id, classInfo);
        ActivationData second = silo.Runtime.Catalog.GetOrCreate(id, classInfo);

        Assert.NotSame(first, second);
        first.ReleaseReservation();
        second.ReleaseReservation();
        Assert.Equal(0, first.LoadHint);
    }

    private TestSilo Start(TimeSpan? responseTimeout = null) => TestSilo.Start(
        s => s.AddGrain<AttributedGrain>().AddGrain<PredicateGrain>().AddGrain<ChainGrain>().AddGrain<WorkerGrain>(),
        settings => settings.ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(30),
        services: services => services.AddSingleton(_probe));
}

public interface IBadOneWay : IGrainWithStringKey
{
    [Actors.Concurrency.OneWay]
    Task<int> Compute();
}
