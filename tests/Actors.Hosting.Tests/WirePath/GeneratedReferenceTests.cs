using System.Reflection;
using Actors.Invocation;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.WirePath;

/// <summary>This project opts into the code generator: its grain interfaces get generated references and invokers, used by the silo and the client.</summary>
public sealed class GeneratedReferenceTests
{
    [Fact]
    public async Task GetGrain_GeneratedInterface_ClientAndSiloUseTheGeneratedReferenceNotAProxy()
    {
        await using TestCluster cluster = new TestClusterBuilder().ConfigureSilo(silo => silo.AddGrain<WireShapesGrain>()).Build();
        await cluster.DeployAsync();

        IWireShapesGrain remote = cluster.Client.GetGrain<IWireShapesGrain>("g");
        IWireShapesGrain local = cluster.Primary.Services.GetRequiredService<IGrainFactory>().GetGrain<IWireShapesGrain>("g");

        foreach (IWireShapesGrain reference in new[] { remote, local })
        {
            Assert.IsAssignableFrom<GrainReferenceBase>(reference);
            Assert.False(reference is DispatchProxy);
            Assert.StartsWith("ActorsGenerated.Actors_Hosting_Tests.", reference.GetType().FullName, StringComparison.Ordinal);
        }

        Assert.Equal(remote, local);
        Assert.Equal(remote.GetHashCode(), local.GetHashCode());
        Assert.Equal((true, "Kettle"), await remote.TryGetProduct("known") is (bool found, ProductDetails details) ? (found, details.Name) : default);
    }

    [Fact]
    public void TryGetInvoker_EveryMethodOfAGeneratedInterface_HasAGeneratedInvoker()
    {
        foreach (MethodInfo method in typeof(IWireShapesGrain).GetMethods())
        {
            Assert.True(GeneratedGrainCode.TryGetInvoker(method, out _), method.Name);
        }
    }
}
