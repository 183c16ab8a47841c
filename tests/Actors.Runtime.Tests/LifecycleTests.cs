using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

public sealed class LifecycleTests
{
    private readonly Probe _probe = new();
    private readonly ActivationFailures _failures = new();

    private TestSilo StartSilo(TimeProvider? time = null) => TestSilo.Start(
        s => s.AddGrain<LifecycleGrain>().AddGrain<ShortLivedGrain>(),
        settings =>
        {
            settings.CollectionAge = TimeSpan.FromMinutes(15);
            settings.CollectionQuantum = TimeSpan.FromMinutes(1);
        },
        time,
        services => services.AddSingleton(_probe).AddSingleton(_failures));

    [Fact]
    public async Task Call_FirstCall_ConstructsThenActivatesThenServes()
    {
        await using TestSilo silo = StartSilo();
        ILifecycleGrain grain = silo.Factory.GetGrain<ILifecycleGrain>("x");

        Assert.Equal("hello x", await grain.Hello());
        await grain.Hello();

        Assert.Equal(["ctor:x", "activate:x", "call:x", "call:x"], _probe.Events);
    }

    [Fact]
    public async Task Call_OnActivateAsyncThrows_CallFailsAndNoActivationRemains()
    {
        await using TestSilo silo = StartSilo();
        ILifecycleGrain grain = silo.Factory.GetGrain<ILifecycleGrain>("bad");
        _failures.FailNext(1);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Hello());

        Assert.Equal("activation refused by test", error.Message);
        await Probe.WaitUntilAsync(() => silo.Runtime.Catalog.Count == 0, "the failed activation to leave the catalog");
        Assert.Equal("hello bad", await grain.Hello());
        Assert.Equal(2, _probe.Count("ctor:bad"));
        Assert.Equal(1, _probe.Count("activate:bad"));
    }

    [Fact]
    public async Task Call_GrainThrows_CallerGetsSameExceptionTypeAndMessage()
    {
        await using TestSilo silo = StartSilo();
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => silo.Factory.GetGrain<ILifecycleGrain>("t").Fail("nope"));
        Assert.Equal("nope", error.Message);
    }

    [Fact]
    public async Task DeactivateOnIdle_AfterCall_DeactivatesAndNextCallCreatesNewActivation()
    {
        await using TestSilo silo = StartSilo();
        ILifecycleGrain grain = silo.Factory.GetGrain<ILifecycleGrain>("d");

        await grain.Deactivate();
        await _probe.WaitForAsync("deactivate:d:ApplicationRequested");
        await grain.Hello();

        Assert.Equal(["ctor:d", "activate:d", "deactivate:d:ApplicationRequested", "ctor:d", "activate:d", "call:d"], _probe.Events);
    }

    [Fact]
    public async Task Collect_IdleLongerThanCollectionAge_Deactivates()
    {
        var time = new ManualTimeProvider();
        await using TestSilo silo = StartSilo(time);
        await silo.Factory.GetGrain<ILifecycleGrain>("idle").Hello();

        time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(0, _probe.Count("deactivate:idle:ActivationIdle"));
        Assert.Equal(1, silo.Runtime.Catalog.Count);

        time.Advance(TimeSpan.FromMinutes(2));
        await _probe.WaitForAsync("deactivate:idle:ActivationIdle");
        await Probe.WaitUntilAsync(() => silo.Runtime.Catalog.Count == 0, "the collected activation to leave the catalog");
    }

    [Fact]
    public async Task Collect_ClassWithCollectionAgeLimit_UsesItsOwnAge()
    {
        var time = new ManualTimeProvider();
        await using TestSilo silo = StartSilo(time);
        await silo.Factory.GetGrain<IShortLivedGrain>("short").Hello();
        await silo.Factory.GetGrain<ILifecycleGrain>("long").Hello();

        time.Advance(TimeSpan.FromMinutes(3));

        await _probe.WaitForAsync("deactivate:short:ActivationIdle");
        Assert.Equal(0, _probe.Count("deactivate:long:ActivationIdle"));
    }

    [Fact]
    public async Task Collect_CallsKeepActivationBusy_ResetIdleClock()
    {
        var time = new ManualTimeProvider();
        await using TestSilo silo = StartSilo(time);
        ILifecycleGrain grain = silo.Factory.GetGrain<ILifecycleGrain>("busy");
        await grain.Hello();
        time.Advance(TimeSpan.FromMinutes(10));
        await grain.Hello();
        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(0, _probe.Count("deactivate:busy:ActivationIdle"));
        Assert.Equal(1, _probe.Count("ctor:busy"));
    }

    [Fact]
    public async Task DelayDeactivation_LongerThanCollectionAge_KeepsActivationUntilItEnds()
    {
        var time = new ManualTimeProvider();
        await using TestSilo silo = StartSilo(time);
        ILifecycleGrain grain = silo.Factory.GetGrain<ILifecycleGrain>("kept");
        await grain.KeepAlive(TimeSpan.FromHours(1));

        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(0, _probe.Count("deactivate:kept:ActivationIdle"));

        time.Advance(TimeSpan.FromMinutes(31));
        await _probe.WaitForAsync("deactivate:kept:ActivationIdle");
    }

    [Fact]
    public async Task StopAsync_ManyActivations_RunsEveryOnDeactivateAsync()
    {
        TestSilo silo = StartSilo();
        for (int i = 0; i < 20; i++)
        {
            await silo.Factory.GetGrain<ILifecycleGrain>($"g{i}").Hello();
        }

        await silo.DisposeAsync();

        Assert.Equal(20, _probe.Events.Count(e => e.EndsWith(":ShuttingDown", StringComparison.Ordinal)));
        Assert.Equal(0, silo.Runtime.Catalog.Count);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => silo.Factory.GetGrain<ILifecycleGrain>("late").Hello());
    }

    [Fact]
    public async Task StopAsync_OnDeactivateAsyncNeverEnds_GracePeriodCancelsItAndStopCompletes()
    {
        TestSilo silo = TestSilo.Start(
            s => s.AddGrain<StubbornGrain>(),
            settings => settings.ShutdownGracePeriod = TimeSpan.FromMilliseconds(200),
            services: services => services.AddSingleton(_probe));
        await silo.Factory.GetGrain<IStubbornGrain>("s").Touch();

        await silo.DisposeAsync();

        await _probe.WaitForAsync("deactivation-cancelled");
        Assert.Equal(0, silo.Runtime.Catalog.Count);
    }

    [Fact]
    public async Task AddGrainsFromAssembly_TestAssembly_RegistersConcreteGrainClasses()
    {
        var services = new ServiceCollection();
        new Actors.Hosting.SiloBuilder(services, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
            .AddGrainsFromAssembly(typeof(CounterGrain).Assembly);
        services.AddGrainRuntime();
        await using ServiceProvider provider = services.BuildServiceProvider();

        string[] names = [.. provider.GetRequiredService<GrainTypeRegistry>().Classes.Select(c => c.TypeName)];

        Assert.Contains("counter", names);
        Assert.Contains("reentrantturn", names);
        Assert.Contains("bank-account", names);
        Assert.Contains("durableledger", names);
    }

    [Fact]
    public async Task Call_DuringSlowDeactivation_WaitsCoveredByResponseTimeoutThenReachesNextActivation()
    {
        var time = new ManualTimeProvider();
        await using TestSilo silo = TestSilo.Start(
            s => s.AddGrain<SlowExitGrain>(),
            settings => settings.ResponseTimeout = TimeSpan.FromSeconds(10),
            time,
            services => services.AddSingleton(_probe));
        ISlowExitGrain grain = silo.Factory.GetGrain<ISlowExitGrain>("slow");
        int first = await grain.Generation();
        await grain.Leave();
        await _probe.WaitForAsync("exiting");

        Task<int> timedOut = grain.Generation();
        Assert.True(silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out ActivationData deactivating));
        await Probe.WaitUntilAsync(() => deactivating.QueueLength == 1, "the call to queue at the deactivating activation");
        time.Advance(TimeSpan.FromSeconds(12));
        await Assert.ThrowsAsync<TimeoutException>(() => timedOut);

        Task<int> forwarded = grain.Generation();
        await Probe.WaitUntilAsync(() => deactivating.QueueLength == 2, "the second call to queue at the deactivating activation");
        _probe.Gate("exit").SetResult();

        Assert.NotEqual(first, await forwarded);
    }

    [Fact]
    public async Task KillAsync_ActiveGrains_SkipsOnDeactivateAndAbandonsParticipants()
    {
        var participant = new RecordingAbruptStopParticipant();
        TestSilo silo = TestSilo.Start(
            s => s.AddGrain<LifecycleGrain>(),
            services: services => services.AddSingleton(_probe).AddSingleton(_failures).AddSingleton<ISiloAbruptStopParticipant>(participant));
        await silo.Factory.GetGrain<ILifecycleGrain>("k").Hello();

        await silo.Runtime.KillAsync();
        await silo.DisposeAsync();

        Assert.Equal(1, participant.Abandoned);
        Assert.DoesNotContain(_probe.Events, e => e.StartsWith("deactivate:", StringComparison.Ordinal));
    }

    private sealed class RecordingAbruptStopParticipant : ISiloAbruptStopParticipant
    {
        public int Abandoned { get; private set; }

        public ValueTask AbandonAsync()
        {
            Abandoned++;
            return ValueTask.CompletedTask;
        }
    }
}
