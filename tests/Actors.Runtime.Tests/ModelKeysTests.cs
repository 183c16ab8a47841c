using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

/// <summary>Compound keys, GetPrimaryKey* extensions, IGrainFactory overloads and POCO grains.</summary>
public sealed class ModelKeysTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task GuidCompoundKey_SameGuidOtherExtension_IsAnotherGrainAndEachSeesItsKeys()
    {
        await using TestSilo silo = Start();
        Guid id = Guid.NewGuid();
        IGuidCompoundGrain eu = silo.Factory.GetGrain<IGuidCompoundGrain>(id, "eu");
        IGuidCompoundGrain us = silo.Factory.GetGrain<IGuidCompoundGrain>(id, "us");

        Assert.Equal(1, await eu.Increment());
        Assert.Equal(2, await eu.Increment());
        Assert.Equal(1, await us.Increment());
        Assert.Equal((id, "eu"), await eu.Keys());
        Assert.Equal(id, eu.GetPrimaryKey(out string? extension));
        Assert.Equal("us", us.GetPrimaryKey(out extension) == id ? extension : null);
        Assert.Equal((id, string.Empty), await silo.Factory.GetGrain<IGuidCompoundGrain>(id, string.Empty).Keys());
    }

    [Fact]
    public async Task IntegerCompoundKey_GrainAndReferenceReadKeyAndExtension()
    {
        await using TestSilo silo = Start();
        IIntegerCompoundGrain grain = silo.Factory.GetGrain<IIntegerCompoundGrain>(-42, "shard/7");

        Assert.Equal((-42L, "shard/7"), await grain.Keys());
        Assert.Equal(-42, grain.GetPrimaryKeyLong(out string? extension));
        Assert.Equal("shard/7", extension);
        Assert.True(grain.IsPrimaryKeyBasedOnLong());
        Assert.Equal("-42+shard/7", grain.GetPrimaryKeyString());
    }

    [Fact]
    public void GetPrimaryKeyExtensions_OnReferences_FollowOrleansRules()
    {
        var factory = new Actors.Invocation.GrainReferenceFactory(new NoInvoker());
        Guid id = Guid.NewGuid();

        Assert.Equal(id, factory.GetGrain<ITimerGrainByGuid>(id).GetPrimaryKey());
        Assert.Equal(7, factory.GetGrain<IPocoGrain>(7).GetPrimaryKeyLong());
        Assert.Equal("text", factory.GetGrain<IGreeter>("text").GetPrimaryKeyString());
        Assert.Equal(new Guid(0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0), factory.GetGrain<IPocoGrain>(7).GetPrimaryKey());
        Assert.Throws<InvalidOperationException>(() => factory.GetGrain<IGreeter>("text").GetPrimaryKeyLong());
        Assert.Throws<InvalidOperationException>(() => factory.GetGrain<IGreeter>("text").GetPrimaryKey());
        Assert.False(factory.GetGrain<ITimerGrainByGuid>(id).IsPrimaryKeyBasedOnLong());
    }

    [Fact]
    public void AsReference_OnAReference_IsTheReference_OnAnythingElse_Throws()
    {
        var factory = new Actors.Invocation.GrainReferenceFactory(new NoInvoker());
        IGreeter greeter = factory.GetGrain<IGreeter>("text");

        Assert.Same(greeter, greeter.AsReference<IGreeter>());
        Assert.Throws<ArgumentException>(() => greeter.AsReference<IPocoGrain>());
        Assert.Throws<ArgumentException>(() => new NotAGrain().AsReference<IGreeter>());
    }

    [Fact]
    public async Task GetGrain_ByTypeAndByGrainId_ReachTheSameActivation()
    {
        await using TestSilo silo = Start();
        Guid id = Guid.NewGuid();
        var typed = (IGuidCompoundGrain)silo.Factory.GetGrain(typeof(IGuidCompoundGrain), id, "x");
        Assert.Equal(1, await typed.Increment());

        GrainId grainId = typed.GetGrainId();
        Assert.Equal(2, await silo.Factory.GetGrain<IGuidCompoundGrain>(grainId).Increment());
        Assert.Equal(grainId, silo.Factory.GetGrain(grainId).GetGrainId());
        Assert.Equal(7, ((IPocoGrain)silo.Factory.GetGrain(typeof(IPocoGrain), 7L)).GetPrimaryKeyLong());
    }

    [Fact]
    public async Task GetGrain_GrainClassNamePrefix_PicksTheImplementation_UnknownPrefixThrows()
    {
        await using TestSilo silo = Start();

        Assert.Equal("bonjour a", await silo.Factory.GetGrain<IGreeter>("a", "Actors.Runtime.Tests.Grains.French").Greet());
        Assert.Equal("hello a", await silo.Factory.GetGrain<IGreeter>("a", "Actors.Runtime.Tests.Grains.EnglishGreeterGrain").Greet());
        Assert.Throws<ArgumentException>(() => silo.Factory.GetGrain<IGreeter>("a", "Nowhere."));
        Assert.Throws<ArgumentException>(() => silo.Factory.GetGrain<IGreeter>("a", "Actors.Runtime.Tests.Grains."));
    }

    [Fact]
    public async Task PocoGrain_ContextInjected_LifecycleTimersAndDeactivationWork()
    {
        await using TestSilo silo = Start();
        IPocoGrain grain = silo.Factory.GetGrain<IPocoGrain>(5);

        Assert.Equal("poco/5 key 5 long-based True", await grain.Describe());
        await grain.StartTimer();
        await _probe.WaitForAsync("poco-tick:1");
        await grain.Deactivate();
        await _probe.WaitForAsync("poco-deactivate:5:ApplicationRequested");

        Assert.Equal(["poco-activate:5", "poco-tick:1", "poco-deactivate:5:ApplicationRequested"], _probe.Events);
    }

    [Fact]
    public async Task AddGrainsFromAssembly_FindsInternalGrainClasses()
    {
        var services = new ServiceCollection();
        new SiloBuilder(services, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).AddGrainsFromAssembly(typeof(PocoGrain).Assembly);
        services.AddGrainRuntime();
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Contains(provider.GetRequiredService<GrainTypeRegistry>().Classes, c => c.GrainClass == typeof(PocoGrain));
    }

    private TestSilo Start() => TestSilo.Start(
        s => s.AddGrain<GuidCompoundGrain>().AddGrain<IntegerCompoundGrain>().AddGrain<EnglishGreeterGrain>().AddGrain<FrenchGreeterGrain>()
            .AddGrain<PocoGrain>(),
        services: services => services.AddSingleton(_probe));

    private sealed class NotAGrain : IAddressable
    {
    }

    private sealed class NoInvoker : Actors.Invocation.IGrainCallInvoker
    {
        public ValueTask<object?> InvokeAsync(Actors.Invocation.GrainCallRequest request, CancellationToken cancellationToken = default)
            => throw new NotSupportedException("references only");
    }
}

public interface ITimerGrainByGuid : IGrainWithGuidKey
{
    Task Ping();
}
