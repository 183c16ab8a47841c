using Actors.Cluster.Tests.Grains;

namespace Actors.Cluster.Tests.InProcess;

public sealed class PlacementProbeTests
{
    [Fact]
    public async Task RandomPlacement_NewGrainsFromOneSilo_SpreadOverSilos()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(3);
        IGrainFactory factory = cluster.Primary.Services.GetRequiredService<IGrainFactory>();

        var silos = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            silos.Add((await factory.GetGrain<IVolatileCounterGrain>($"spread{i}").Touch()).Silo);
        }

        Assert.True(silos.Distinct().Count() == 3, "placements: " + string.Join(",", silos));
    }
}
