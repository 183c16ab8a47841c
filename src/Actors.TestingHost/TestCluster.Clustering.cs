using Actors.Hosting;

namespace Actors.TestingHost;

/// <content>How the silos of a multi-silo test cluster find each other.</content>
public sealed partial class TestCluster
{
    partial void EnsureClusteringAvailable(int silos)
    {
        if (silos > 1)
        {
            throw new NotSupportedException(
                $"A test cluster of {silos} silos needs clustering, which this build does not have yet; use one silo (TestClusterOptions.InitialSilosCount = 1).");
        }
    }

    partial void ConfigureClustering(ISiloBuilder siloBuilder, SiloHandle silo)
    {
    }
}
