using Actors.Cluster.Tests.Grains;

namespace Actors.Cluster.Tests.InProcess;

public sealed class SmokeTests
{
    [Fact]
    public async Task ThreeSilos_VolatileAndDurableGrains_CallableFromEverySilo()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(3);

        ActivationInfo first = await cluster.Client.GetGrain<IVolatileCounterGrain>("a").Touch();
        ActivationInfo second = await cluster.Client.GetGrain<IVolatileCounterGrain>("a").Touch();
        long version = await cluster.Client.GetGrain<IAccountGrain>("acc").Deposit(5, 1);

        Assert.Equal(first.ActivationId, second.ActivationId);
        Assert.Equal(2, second.Calls);
        Assert.Equal(1, version);
    }
}
