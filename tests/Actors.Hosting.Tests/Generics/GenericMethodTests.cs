using System.Reflection;
using Actors.Invocation;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.Generics;

/// <summary>Generic grain methods through generated references, in the silo and over the gateway.</summary>
public sealed class GenericMethodTests
{
    [Fact]
    public async Task GenericMethods_InSiloAndOverTheGateway_EachInstantiationRoundTrips()
    {
        await using TestCluster cluster = new TestClusterBuilder().ConfigureSilo(silo => silo.AddGrain<EchoGrain>().AddGrain(typeof(CellGrain<>))).Build();
        await cluster.DeployAsync();

        foreach (IGrainFactory factory in new[] { cluster.Primary.Services.GetRequiredService<IGrainFactory>(), cluster.Client })
        {
            IEchoGrain grain = factory.GetGrain<IEchoGrain>("e");
            Guid id = Guid.NewGuid();

            Assert.Equal(5, await grain.Echo<int>(5));
            Assert.Equal("int 5", await grain.Echo(5));
            Assert.Equal("five", await grain.Echo<string>("five"));
            Assert.Equal([id], await grain.Echo(new[] { id }));
            Assert.Equal([1.5m, 1.5m, 1.5m], await grain.Repeat(1.5m, 3));
            Assert.Equal("List`1", await grain.NameOf<List<int>>());
            Assert.Equal(("a", 2), await grain.Pair("a", 2));

            ICellGrain<int> cell = factory.GetGrain<ICellGrain<int>>("with");
            await cell.Set(3);
            Assert.Equal((3, "w"), await cell.With("w"));
        }

        MethodInfo echo = typeof(IEchoGrain).GetMethods().Single(m => m.Name == nameof(IEchoGrain.Echo) && m.IsGenericMethodDefinition);
        Assert.True(GeneratedGrainCode.TryGetInvoker(echo.MakeGenericMethod(typeof(int)), out _), "the generated generic invoker serves Echo<int>");
    }

    [Fact]
    public void StableNames_GenericMethodInstantiation_InsertsTheTypeArgumentsAfterTheArity()
    {
        var definition = typeof(IEchoGrain).GetMethods().Single(m => m.Name == nameof(IEchoGrain.Echo) && m.IsGenericMethodDefinition);

        Assert.Equal("Actors.Hosting.Tests.Generics.IEchoGrain.Echo`1(!!0)", StableNames.ForMethod(definition));
        Assert.Equal("Actors.Hosting.Tests.Generics.IEchoGrain.Echo`1<System.Int32>(!!0)", StableNames.ForMethod(definition.MakeGenericMethod(typeof(int))));
        Assert.Equal("Actors.Hosting.Tests.Generics.IEchoGrain.Echo(System.Int32)", StableNames.ForMethod(typeof(IEchoGrain).GetMethod(nameof(IEchoGrain.Echo), [typeof(int)])!));

        var registry = new GrainMethodRegistry();
        registry.RegisterInterface(typeof(IEchoGrain));
        Assert.True(registry.TryGetMethod("Actors.Hosting.Tests.Generics.IEchoGrain.Echo`1<System.Collections.Generic.List<System.Guid>>(!!0)", out GrainMethod closed));
        Assert.Equal([typeof(List<Guid>)], closed.ParameterTypes);
        Assert.False(registry.TryGetMethod("Actors.Hosting.Tests.Generics.IEchoGrain.Echo`1<No.Such.Type>(!!0)", out _));
    }
}
