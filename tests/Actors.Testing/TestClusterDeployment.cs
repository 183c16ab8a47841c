using Orleans.TestingHost;

namespace Actors.Testing;

/// <summary>Starting a TestingHost cluster so that a silo refusing to start leaves nothing of the cluster running.</summary>
public static class TestClusterDeployment
{
    /// <summary>Builds the cluster of <paramref name="builder"/> and deploys it; when deployment fails the cluster is disposed and the failure rethrown.</summary>
    public static async Task<TestCluster> DeployAsync(TestClusterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        TestCluster cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            // A silo that refused to start: nothing of the cluster stays running.
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }
}
