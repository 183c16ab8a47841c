using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

/// <summary>Grain timers against Orleans's documented semantics, on a virtual clock.</summary>
public sealed class TimerTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly ManualTimeProvider _time = new();
    private readonly Probe _probe = new();

    [Fact]
    public async Task RegisterGrainTimer_DueTimeThenPeriod_TicksAsTurnsOnTheVirtualClock()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("a");
        DateTimeOffset start = _time.GetUtcNow();

        await grain.Start(new TimerSpec("t", 5 * Second, 10 * Second));
        Assert.Contains(start + 5 * Second, _time.OneShotDueTimes);
        _time.Advance(4 * Second);
        Assert.Equal(0, _probe.Count("tick:t:1"));

        _time.Advance(Second);
        await _probe.WaitForAsync("tick:t:1");
        await WaitArmedAsync(start + 15 * Second);
        _time.Advance(10 * Second);
        await _probe.WaitForAsync("tick:t:2");

        Assert.Equal(2, await grain.Ticks("t"));
        Assert.DoesNotContain(_probe.Events, e => e.StartsWith("off-scheduler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegisterGrainTimer_SlowCallback_NextTickIsOnePeriodAfterCompletion()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("slow");
        await grain.Start(new TimerSpec("t", Second, 10 * Second, Gated: true));

        _time.Advance(Second);
        await _probe.WaitForAsync("tick:t:1");
        _time.Advance(35 * Second);
        Assert.Empty(_time.OneShotDueTimes);

        DateTimeOffset completed = _time.GetUtcNow();
        _probe.Gate("t:1").SetResult();
        await _probe.WaitForAsync("end:t:1");
        await WaitArmedAsync(completed + 10 * Second);
        Assert.Equal(1, await grain.Ticks("t"));
    }

    [Fact]
    public async Task RegisterGrainTimer_NotInterleaving_TickWaitsForTheRunningRequest()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("queued");
        await grain.Start(new TimerSpec("t", 10 * Second, Timeout.InfiniteTimeSpan));
        Task request = grain.Blocked("req");
        await _probe.WaitForAsync("start:req");

        _time.Advance(10 * Second);
        Assert.True(silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out ActivationData activation));
        Assert.Equal(1, activation.QueueLength);
        Assert.Equal(0, _probe.Count("tick:t:1"));

        _probe.Gate("req").SetResult();
        await request;
        await _probe.WaitForAsync("tick:t:1");
        Assert.Equal(0, _probe.Count("inside-request:t:1"));
        Assert.True(_probe.Events.ToList().IndexOf("end:req") < _probe.Events.ToList().IndexOf("tick:t:1"));
    }

    [Fact]
    public async Task RegisterGrainTimer_Interleave_TickRunsWhileARequestAwaits()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("interleaved");
        await grain.Start(new TimerSpec("t", 10 * Second, Timeout.InfiniteTimeSpan, Interleave: true));
        Task request = grain.Blocked("req");
        await _probe.WaitForAsync("start:req");

        _time.Advance(10 * Second);
        await _probe.WaitForAsync("inside-request:t:1");
        Assert.False(request.IsCompleted);

        _probe.Gate("req").SetResult();
        await request;
        Assert.DoesNotContain(_probe.Events, e => e.StartsWith("off-scheduler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispose_WhileCallbackRuns_CancelsItsTokenAndStopsTheTimer()
    {
        await using TestSilo silo = StartSilo();
        IReentrantTimerGrain grain = silo.Factory.GetGrain<IReentrantTimerGrain>("dispose");
        await grain.Start(new TimerSpec("t", Second, Second, Gated: true));
        _time.Advance(Second);
        await _probe.WaitForAsync("tick:t:1");

        await grain.Stop("t");

        await _probe.WaitForAsync("cancelled:t:1");
        _time.Advance(10 * Second);
        Assert.Empty(_time.OneShotDueTimes);
        Assert.Equal(1, await grain.Ticks("t"));
    }

    [Fact]
    public async Task Dispose_BetweenTicks_NoFurtherTick()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("stop");
        await grain.Start(new TimerSpec("t", Second, Second));
        _time.Advance(Second);
        await _probe.WaitForAsync("tick:t:1");
        await WaitArmedAsync(_time.GetUtcNow() + Second);

        await grain.Stop("t");

        Assert.Empty(_time.OneShotDueTimes);
        _time.Advance(5 * Second);
        Assert.Equal(1, await grain.Ticks("t"));
    }

    [Fact]
    public async Task Deactivation_DisposesTimers_TheyNeitherTickNorReactivateTheGrain()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("deactivate");
        await grain.Start(new TimerSpec("t", 5 * Second, 5 * Second));

        await grain.Deactivate();
        await _probe.WaitForAsync("deactivated:ApplicationRequested");

        Assert.Empty(_time.OneShotDueTimes);
        _time.Advance(20 * Second);
        Assert.Equal(0, _probe.Count("tick:t:1"));
        Assert.False(silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out _));
    }

    [Fact]
    public async Task KeepAliveFalse_TicksDoNotDelayIdleCollection()
    {
        await using TestSilo silo = StartSilo(collectionAge: TimeSpan.FromMinutes(5));
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("idle");
        await grain.Start(new TimerSpec("t", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));

        for (int minute = 1; minute <= 4; minute++)
        {
            await AdvanceToTickAsync("t", minute, TimeSpan.FromMinutes(1));
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        await _probe.WaitForAsync("deactivated:ActivationIdle");
        Assert.Equal(0, _probe.Count("tick:t:5"));
    }

    [Fact]
    public async Task KeepAliveTrue_TicksKeepTheActivation()
    {
        await using TestSilo silo = StartSilo(collectionAge: TimeSpan.FromMinutes(5));
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("busy");
        await grain.Start(new TimerSpec("t", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), KeepAlive: true));

        for (int minute = 1; minute <= 8; minute++)
        {
            await AdvanceToTickAsync("t", minute, TimeSpan.FromMinutes(1));
        }

        Assert.Equal(0, _probe.Count("deactivated:ActivationIdle"));
        Assert.True(silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out _));
    }

    [Fact]
    public async Task Change_WhileIdle_ReschedulesAtOnce()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("change");
        DateTimeOffset start = _time.GetUtcNow();
        await grain.Start(new TimerSpec("t", 10 * Second, 10 * Second));

        await grain.Change("t", 3 * Second, 7 * Second);

        Assert.Equal([start + 3 * Second], _time.OneShotDueTimes);
        _time.Advance(3 * Second);
        await _probe.WaitForAsync("tick:t:1");
        await WaitArmedAsync(start + 10 * Second);
    }

    [Fact]
    public async Task Change_InsideARunningCallback_TakesEffectAfterItCompletes()
    {
        await using TestSilo silo = StartSilo();
        IReentrantTimerGrain grain = silo.Factory.GetGrain<IReentrantTimerGrain>("change-running");
        await grain.Start(new TimerSpec("t", Second, 10 * Second, Gated: true));
        _time.Advance(Second);
        await _probe.WaitForAsync("tick:t:1");

        await grain.Change("t", 2 * Second, 5 * Second);
        Assert.Empty(_time.OneShotDueTimes);
        DateTimeOffset completed = _time.GetUtcNow();
        _probe.Gate("t:1").SetResult();

        await WaitArmedAsync(completed + 2 * Second);
        _time.Advance(2 * Second);
        await _probe.WaitForAsync("tick:t:2");
        _probe.Gate("t:2").SetResult();
        await WaitArmedAsync(completed + 7 * Second);
    }

    [Fact]
    public async Task CallbackThrows_TheExceptionIsLoggedAndTheScheduleContinues()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("throws");
        await grain.Start(new TimerSpec("t", Second, Second, Throw: true));

        _time.Advance(Second);
        await _probe.WaitForAsync("tick:t:1");
        await WaitArmedAsync(_time.GetUtcNow() + Second);
        _time.Advance(Second);
        await _probe.WaitForAsync("tick:t:2");
    }

    [Fact]
    public async Task InfinitePeriod_FiresOnce()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("once");
        await grain.Start(new TimerSpec("t", Second, Timeout.InfiniteTimeSpan));

        _time.Advance(Second);
        await _probe.WaitForAsync("tick:t:1");

        Assert.Equal(1, await grain.Ticks("t"));
        Assert.Empty(_time.OneShotDueTimes);
    }

    [Fact]
    public async Task InfiniteDueTime_TimerStaysPausedUntilChanged()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("paused");
        await grain.Start(new TimerSpec("t", Timeout.InfiniteTimeSpan, Second));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(_time.OneShotDueTimes);

        await grain.Change("t", TimeSpan.Zero, Second);
        _time.Advance(TimeSpan.Zero);
        await _probe.WaitForAsync("tick:t:1");
    }

    [Fact]
    public async Task RegisterGrainTimer_NegativeDueTime_ThrowsArgumentOutOfRange()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("invalid");

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.Start(new TimerSpec("t", -2 * Second, Second)));

        Assert.Equal("dueTime", error.ParamName);
        Assert.Empty(_time.OneShotDueTimes);
    }

    [Fact]
    public async Task LegacyRegisterTimer_CallbackInterleavesWithAwaitingRequests()
    {
        await using TestSilo silo = StartSilo();
        ITimerGrain grain = silo.Factory.GetGrain<ITimerGrain>("legacy");
        await grain.StartLegacy("t", 10 * Second, 10 * Second);
        Task request = grain.Blocked("req");
        await _probe.WaitForAsync("start:req");

        _time.Advance(10 * Second);
        await _probe.WaitForAsync("inside-request:t:1");

        _probe.Gate("req").SetResult();
        await request;
    }

    private TestSilo StartSilo(TimeSpan? collectionAge = null) => TestSilo.Start(
        s => s.AddGrain<TimerGrain>().AddGrain<ReentrantTimerGrain>(),
        settings =>
        {
            settings.CollectionAge = collectionAge ?? TimeSpan.FromDays(1);
            settings.CollectionQuantum = TimeSpan.FromMinutes(1);
        },
        _time,
        services => services.AddSingleton(_probe));

    /// <summary>Advances by <paramref name="step"/>, waits for tick <paramref name="n"/> and for the timer to be armed again.</summary>
    private async Task AdvanceToTickAsync(string name, int n, TimeSpan step)
    {
        _time.Advance(step);
        await _probe.WaitForAsync($"tick:{name}:{n}");
        await WaitArmedAsync(_time.GetUtcNow() + step);
    }

    private Task WaitArmedAsync(DateTimeOffset due)
        => Probe.WaitUntilAsync(() => _time.OneShotDueTimes.Contains(due), $"a timer armed for {due:O} (armed: {string.Join(", ", _time.OneShotDueTimes)})");
}
