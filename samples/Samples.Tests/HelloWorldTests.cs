using HelloWorld.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Samples.Tests;

/// <summary>The HelloWorld sample: one call through the gateway, answered the same as in the silo.</summary>
[Trait("Category", "Integration")]
public sealed class HelloWorldTests
{
    [Fact]
    public async Task SayHello_ThroughTheGateway_AnswersLikeAnInSiloCaller()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        IGrainFactory inSilo = cluster.GetSiloServiceProvider().GetRequiredService<IGrainFactory>();

        string remote = await cluster.Client.GetGrain<IHelloGrain>(7).SayHello("Good morning, HelloGrain!");
        string local = await inSilo.GetGrain<IHelloGrain>(7).SayHello("Good morning, HelloGrain!");

        Assert.Equal("Hello grain 7 heard \"Good morning, HelloGrain!\" and says hello back.", remote);
        Assert.Equal(remote, local);
    }
}
