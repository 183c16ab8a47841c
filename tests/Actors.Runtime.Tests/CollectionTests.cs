using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

/// <summary>Idle collection by time buckets: a pass visits only what is due, in slices, and refiles what was used since.</summary>
public sealed class CollectionTests
{
    private readonly ManualTimeProvider _time = new();

    private TestSilo StartSilo() => TestSilo.Start(
        s => s.AddGrain<CounterGrain>(),
        settings =>
        {
            settings.CollectionAge = TimeSpan.FromMinutes(10);
            settings.CollectionQuantum = TimeSpan.FromMinutes(1);
        },
        _time);

    [Fact]
    public async Task Collect_MoreIdleActivationsThanOneSlice_CollectsEveryOneAndExaminesOnlyThem()
    {
        await using TestSilo silo = StartSilo();
        int count = (2 * ActivationCollector.SliceSize) + 100;
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => silo.Factory.GetGrain<ICounterGrain>($"idle{i}").Increment()));
        _time.Advance(TimeSpan.FromMinutes(5));
        await silo.Factory.GetGrain<ICounterGrain>("late").Increment();

        _time.Advance(TimeSpan.FromMinutes(6));

        await Probe.WaitUntilAsync(() => silo.Runtime.Catalog.Count == 1, $"the {count} idle activations to be collected ({silo.Runtime.Catalog.Count} left)");
        Assert.Equal(count, silo.Runtime.Collector.Examined);
        Assert.Equal(1, silo.Runtime.Collector.Count);
    }

    [Fact]
    public async Task Collect_ActivationUsedAfterItWasFiled_IsRefiledThenCollectedWhenIdleLongEnough()
    {
        await using TestSilo silo = StartSilo();
        ICounterGrain grain = silo.Factory.GetGrain<ICounterGrain>("used");
        await grain.Increment();
        _time.Advance(TimeSpan.FromMinutes(8));
        await grain.Increment();

        _time.Advance(TimeSpan.FromMinutes(4));
        await Probe.WaitUntilAsync(() => silo.Runtime.Collector.Examined == 1, "the pass to examine the activation filed for minute 10");
        Assert.Equal(1, silo.Runtime.Catalog.Count);
        Assert.Equal(1, silo.Runtime.Collector.Count);

        _time.Advance(TimeSpan.FromMinutes(7));
        await Probe.WaitUntilAsync(() => silo.Runtime.Catalog.Count == 0, "the refiled activation to be collected");
        Assert.Equal(2, silo.Runtime.Collector.Examined);
    }

    [Fact]
    public async Task Collect_ActivationDeactivatedOnIdle_LeavesItsBucket()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<LifecycleGrain>(), services: services => services.AddSingleton(new Probe()).AddSingleton(new ActivationFailures()));
        ILifecycleGrain grain = silo.Factory.GetGrain<ILifecycleGrain>("leaving");
        await grain.Hello();
        Assert.Equal(1, silo.Runtime.Collector.Count);

        await grain.Deactivate();

        await Probe.WaitUntilAsync(() => silo.Runtime.Catalog.Count == 0, "the activation to deactivate");
        Assert.Equal(0, silo.Runtime.Collector.Count);
    }
}
