using Actors;
using Actors.Hosting;
using Actors.TestingHost;
using HelloWorld.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Samples.Tests;

/// <summary>The HelloWorld sample: one call through the gateway, answered the same as in the silo.</summary>
[Trait("Category", "Integration")]
public sealed class HelloWorldTests
{
    [Fact]
    public async Task SayHello_ThroughTheGateway_AnswersLikeAnInSiloCaller()
    {
        await using TestCluster cluster = await SampleClusters.DeployAsync("unused", silo => silo.AddGrain<HelloGrain>());
        IGrainFactory inSilo = cluster.Primary.Services.GetRequiredService<IGrainFactory>();

        string remote = await cluster.Client.GetGrain<IHelloGrain>(7).SayHello("Good morning, HelloGrain!");
        string local = await inSilo.GetGrain<IHelloGrain>(7).SayHello("Good morning, HelloGrain!");

        Assert.Equal("Hello grain 7 heard \"Good morning, HelloGrain!\" and says hello back.", remote);
        Assert.Equal(remote, local);
    }
}
