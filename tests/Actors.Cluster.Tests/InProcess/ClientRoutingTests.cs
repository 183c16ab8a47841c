using Actors.Cluster.Tests.Grains;
using Actors.Client;
using static Actors.Cluster.Tests.Support.TestClusters;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>
/// The gateway client sends a call for a partition-bound grain straight to its partition owner's gateway, from the routing
/// table the gateways send; hops are counted by the silos (<see cref="IClusterView.ForwardedCalls"/>), never timed.
/// </summary>
public sealed class ClientRoutingTests
{
    [Fact]
    public async Task Calls_ClientRoutesToOwners_WalGrainCallsReachTheirOwnerWithoutAHop()
    {
        await using TestCluster cluster = await TestClusters.DeployBalancedAsync(3);
        IAccountGrain[] grains = [.. Enumerable.Range(0, 48).Select(i => cluster.Client.GetGrain<IAccountGrain>($"routed-{i}"))];

        // Once the client holds the balanced view's table, a round over every grain makes no hop.
        await Eventually.TrueAsync(async () => await HopsOfOneRoundAsync(cluster, grains) == 0, Patience, "a round of calls without a hop");
        long hops = 0;
        for (int round = 0; round < 3; round++)
        {
            hops += await HopsOfOneRoundAsync(cluster, grains);
        }

        Assert.Equal(0, hops);
        // The grains are spread: every silo serves some of them, so the client reached all three gateways directly.
        Assert.All(cluster.GetActiveSilos(), silo => Assert.True(
            silo.Services.GetRequiredService<IClusterView>().LocalPartitions.Any(l => l == Actors.Cluster.Partitioning.LocalPartitionState.Serving),
            $"{silo.Name} serves no partition"));
    }

    [Fact]
    public async Task Calls_RoutingOff_CallsForOtherSilosPartitionsTakeAHop()
    {
        await using TestCluster cluster = await TestClusters.DeployBalancedAsync(3, b => b.ConfigureClient(c => c.Configure(o => o.RouteToPartitionOwners = false)));
        IAccountGrain[] grains = [.. Enumerable.Range(0, 48).Select(i => cluster.Client.GetGrain<IAccountGrain>($"forwarded-{i}"))];

        // One gateway serves the client: the calls for the other two silos' partitions (about two thirds) are forwarded.
        long hops = await HopsOfOneRoundAsync(cluster, grains);
        Assert.True(hops >= 8, $"{hops} of {grains.Length} calls were forwarded: calls for other silos' partitions should be");
    }

    [Fact]
    public async Task Calls_OwnerLeaves_ClientFollowsTheNewTableWithoutLosingACall()
    {
        await using TestCluster cluster = await TestClusters.DeployBalancedAsync(3);
        IAccountGrain[] grains = [.. Enumerable.Range(0, 24).Select(i => cluster.Client.GetGrain<IAccountGrain>($"follow-{i}"))];
        await Eventually.TrueAsync(async () => await HopsOfOneRoundAsync(cluster, grains) == 0, Patience, "a round of calls without a hop");

        await cluster.StopSiloAsync(cluster.Silos[2]);
        await cluster.WaitForPartitionsBalancedAsync(Patience);
        await Eventually.TrueAsync(async () => await HopsOfOneRoundAsync(cluster, grains) == 0, Patience, "a round of calls without a hop after the leave");
    }

    /// <summary>Calls every grain once (a read) and returns how many hops between silos the round took.</summary>
    private static async Task<long> HopsOfOneRoundAsync(TestCluster cluster, IAccountGrain[] grains)
    {
        long before = Forwarded(cluster);
        foreach (IAccountGrain grain in grains)
        {
            await grain.Get();
        }

        return Forwarded(cluster) - before;
    }

    private static long Forwarded(TestCluster cluster)
        => cluster.GetActiveSilos().Sum(s => s.Services.GetRequiredService<IClusterView>().ForwardedCalls);
}
