using Actors.TestingHost;

namespace Actors.Cluster.Tests.Support;

/// <summary>Builds clustered test clusters of the test grains.</summary>
public static class TestClusters
{
    public static async Task<TestCluster> DeployAsync(short silos, Action<TestClusterBuilder>? configure = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseClustering = true;
        builder.AddSiloBuilderConfigurator<ClusterTestSilo>();
        builder.WithConsoleLogsIfRequested();
        configure?.Invoke(builder);
        TestCluster cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }
}
