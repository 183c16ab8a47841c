using Actors.Client;
using Actors.Cluster.Tests.Grains;
using static Actors.Cluster.Tests.Support.TestClusters;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>
/// A client configured with one gateway learns the cluster's other gateways from the routing table its gateway sends,
/// and fails over to them when that silo stops: no database and no gateway list in the client's configuration.
/// </summary>
public sealed class ClientFailoverTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SeedGatewayStops_ClientConfiguredWithItAlone_KeepsWorkingThroughTheGatewaysTheClusterSent(bool routeToOwners)
    {
        await using TestCluster cluster = await TestClusters.DeployBalancedAsync(3);
        SiloHandle seed = cluster.Silos[0];
        string[] gateways = [.. cluster.Silos.Select(s => $"127.0.0.1:{s.GatewayPort}")];
        await using IClusterClient client = new ClusterClientBuilder()
            .UseGateway(gateways[0])
            .Configure(o => o.RouteToPartitionOwners = routeToOwners)
            .Build();
        await client.ConnectAsync();
        var invoker = (GatewayCallInvoker)((ClusterClient)client).Invoker;
        await Eventually.TrueAsync(
            async () => gateways.All((await invoker.CurrentGatewaysAsync(CancellationToken.None)).Contains),
            Patience, $"the client learned the three gateways {string.Join(", ", gateways)} from its one gateway's routing table");
        IAccountGrain[] accounts = [.. Enumerable.Range(0, 24).Select(i => client.GetGrain<IAccountGrain>($"seed-{routeToOwners}-{i}"))];
        IVolatileCounterGrain[] counters = [.. Enumerable.Range(0, 8).Select(i => client.GetGrain<IVolatileCounterGrain>($"seed-{routeToOwners}-{i}"))];
        foreach (IAccountGrain account in accounts)
        {
            await account.Deposit(10, 1);
        }

        await cluster.StopSiloAsync(seed);

        // Every call after the seed's silo stopped succeeds: the client reconnects to a gateway the cluster told it about.
        foreach (IAccountGrain account in accounts)
        {
            await account.Deposit(5, 2);
            AccountSnapshot snapshot = await account.Get();
            Assert.Equal(15, snapshot.Balance);
            Assert.Equal([1L, 2L], snapshot.Sequences);
            Assert.NotEqual(seed.Name, snapshot.Silo);
        }

        foreach (IVolatileCounterGrain counter in counters)
        {
            Assert.NotEqual(seed.Name, (await counter.Touch()).Silo);
        }

        Assert.True(client.IsConnected, "the client holds a connection to a gateway that is still running");
    }
}
