using Actors.Hosting;
using Actors.Invocation;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

/// <summary>A grain interface the code generator did not process is refused by name, never served by a runtime proxy.</summary>
public sealed class GeneratedCodeStrictnessTests
{
    [Fact]
    public void Start_GrainClassWithARefusedInterface_FailsNamingTheClassTheInterfaceAndTheFix()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => TestSilo.Start(s => s.AddGrain<PropertyGrain>()));

        Assert.Contains($"Grain class '{typeof(PropertyGrain).FullName}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Grain interface '{typeof(IPropertyGrain).FullName}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("a property", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_GrainClassWithAClosedGenericInterface_StartsAndServesItThroughTheGeneratedReference()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<IntBoxGrain>());

        IBoxGrain<int> box = silo.Factory.GetGrain<IBoxGrain<int>>("b");

        Assert.IsAssignableFrom<GrainReferenceBase>(box);
        Assert.Equal(42, await box.Get());
    }

    [Fact]
    public void Start_GrainInterfaceTakingARefusedObserverInterface_FailsNamingTheObserverInterface()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => TestSilo.Start(s => s.AddGrain<WatchGrain>()));

        Assert.Contains($"Grain class '{typeof(WatchGrain).FullName}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Observer interface '{typeof(IPropertyObserver).FullName}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateObjectReference_RefusedObserverInterface_ThrowsTypedErrorAndRegistersNothing()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<CounterGrain>());
        var observer = new PropertyObserver();

        GrainInterfaceNotGeneratedException error = Assert.Throws<GrainInterfaceNotGeneratedException>(() => silo.Factory.CreateObjectReference<IPropertyObserver>(observer));

        Assert.Equal(typeof(IPropertyObserver).FullName, error.InterfaceName);
        Assert.False(silo.Services.GetRequiredService<ObserverRegistry>().Unregister(observer));
    }

    [Fact]
    public async Task GetGrain_RefusedInterface_ThrowsTypedErrorInsteadOfARuntimeProxy()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<CounterGrain>());
        var factory = new GrainReferenceFactory(silo.Services.GetRequiredService<IGrainCallInvoker>());

        GrainInterfaceNotGeneratedException property = Assert.Throws<GrainInterfaceNotGeneratedException>(() => factory.GetGrain<IPropertyGrain>("p"));

        Assert.Equal(typeof(IPropertyGrain).FullName, property.InterfaceName);
        Assert.NotNull(factory.GetGrain<ICounterGrain>("c"));
        Assert.NotNull(factory.GetGrain(new GrainId("counter", "c")));
    }
}
