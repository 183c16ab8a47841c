using Actors.Hosting.Gateway;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.Model;

/// <summary>
/// Call-chain reentrancy through the gateway: grain A calls an observer on a gateway client, which calls A back. The
/// reentrancy id travels in the request context to the client and back, so A re-enters inside its section.
/// </summary>
public sealed class CallChainGatewayTests
{
    [Fact]
    public async Task CallChain_ThroughAClientObserver_ReentersTheOriginInsideTheSection()
    {
        await using TestCluster cluster = new TestClusterBuilder().ConfigureSilo(silo => silo.AddGrain<RelayGrain>()).Build();
        await cluster.DeployAsync();
        IRelayObserver observer = cluster.Client.CreateObjectReference<IRelayObserver>(new RelayObserver(cluster.Client));

        string result = await cluster.Client.GetGrain<IRelayGrain>("a").AskClient(observer, allowReentrancy: true);

        Assert.Equal("a echoes via the client", result);
    }

    [Fact]
    public async Task CallChain_ThroughAClientObserverWithoutTheSection_TimesOut()
    {
        await using TestCluster cluster = new TestClusterBuilder().ConfigureSilo(silo => silo
            .AddGrain<RelayGrain>()
            .Services.Configure<SiloOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(2))
            .Configure<GatewayOptions>(o => o.RequestTimeout = TimeSpan.FromSeconds(2))).Build();
        await cluster.DeployAsync();
        IRelayObserver observer = cluster.Client.CreateObjectReference<IRelayObserver>(new RelayObserver(cluster.Client));

        await Assert.ThrowsAnyAsync<TimeoutException>(() => cluster.Client.GetGrain<IRelayGrain>("b").AskClient(observer, allowReentrancy: false));
    }
}
