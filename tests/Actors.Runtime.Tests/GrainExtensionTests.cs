using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

public interface IEchoExtension : IGrainExtension
{
    Task<string> Describe();

    Task<int> CallCount();
}

/// <summary>One object per activation: counts its calls and reports the grain it serves.</summary>
public sealed class EchoExtension(IGrainContext context) : IEchoExtension
{
    private int _calls;

    public Task<string> Describe()
    {
        _calls++;
        return Task.FromResult($"{context.GrainId}|{ReferenceEquals(RuntimeContext.Current, context)}|{context.GrainInstance?.GetType().Name}");
    }

    public Task<int> CallCount() => Task.FromResult(_calls);
}

public sealed class GrainExtensionTests
{
    private static TestSilo StartSilo(bool register = true) => TestSilo.Start(s =>
    {
        s.AddGrain<CounterGrain>();
        if (register)
        {
            s.AddGrainExtension<IEchoExtension>(context => new EchoExtension(context));
        }
    });

    [Fact]
    public async Task ExtensionCall_GrainNotActive_ActivatesGrainAndRunsOnItsTurn()
    {
        await using TestSilo silo = StartSilo();
        IEchoExtension extension = silo.Factory.GetGrain<IEchoExtension>(GrainId.Create("counter", "x"));

        Assert.Equal("counter/x|True|CounterGrain", await extension.Describe());
        Assert.Equal(1, silo.Services.GetRequiredService<ISiloActivations>().Count);
    }

    [Fact]
    public async Task ExtensionCall_SameActivation_ReusesOneObjectSharedWithBinder()
    {
        await using TestSilo silo = StartSilo();
        IEchoExtension extension = silo.Factory.GetGrain<IEchoExtension>(GrainId.Create("counter", "y"));

        await extension.Describe();
        await extension.Describe();

        Assert.Equal(2, await extension.CallCount());
    }

    [Fact]
    public async Task ExtensionCall_NotRegistered_FailsNamingTheExtension()
    {
        await using TestSilo silo = StartSilo(register: false);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => silo.Factory.GetGrain<IEchoExtension>(GrainId.Create("counter", "z")).Describe());

        Assert.Contains("IEchoExtension", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddGrainExtension", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtensionCall_UnknownGrainType_FailsNamingTheId()
    {
        await using TestSilo silo = StartSilo();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => silo.Factory.GetGrain<IEchoExtension>(GrainId.Create("nosuch", "k")).Describe());

        Assert.Contains("nosuch/k", error.Message, StringComparison.Ordinal);
    }
}

public sealed class GrainClassCatalogTests
{
    [Fact]
    public async Task GrainClasses_RegisteredClasses_AreListedWithTypeNames()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<CounterGrain>());

        GrainClassDescriptor only = Assert.Single(silo.Services.GetRequiredService<IGrainClassCatalog>().GrainClasses);

        Assert.Equal(typeof(CounterGrain), only.GrainClass);
        Assert.Equal("counter", only.TypeName);
    }
}
