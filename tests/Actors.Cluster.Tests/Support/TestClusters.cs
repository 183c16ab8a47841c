namespace Actors.Cluster.Tests.Support;

/// <summary>Builds clustered test clusters of the test grains.</summary>
public static class TestClusters
{
    /// <summary>
    /// How long a cluster test waits for the cluster to get somewhere (partitions balanced, a move, a partition's state): the
    /// suite shares two cores with other test processes, so this only bounds a hang.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary><see cref="DeployAsync"/>, then waits (up to <see cref="Patience"/>) until every partition is owned and they are spread evenly over the silos.</summary>
    public static async Task<TestCluster> DeployBalancedAsync(short silos, Action<TestClusterBuilder>? configure = null)
    {
        TestCluster cluster = await DeployAsync(silos, configure);
        try
        {
            await cluster.WaitForPartitionsBalancedAsync(Patience);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>
    /// Deploys <paramref name="silos"/> silos with <paramref name="partitionCount"/> partitions, each replicated on three
    /// of them (replication factor 3), whose replicas drop a lagging follower and replace a silent leader after 2 s
    /// (generous on a loaded machine); <paramref name="configure"/> may change more cluster options. Returns once the
    /// partitions are owned and spread evenly (<see cref="DeployBalancedAsync"/>).
    /// </summary>
    public static Task<TestCluster> DeployReplicatedAsync(short silos, int partitionCount, Action<Actors.Cluster.ClusterOptions>? configure = null)
        => DeployBalancedAsync(silos, builder =>
        {
            builder.Options.PartitionCount = partitionCount;
            builder.Options.ConfigureClusterOptions = o =>
            {
                o.ReplicationFactor = 3;
                o.Replication.FollowerLagTimeout = TimeSpan.FromSeconds(2);
                o.Replication.LeaderTimeout = TimeSpan.FromSeconds(2);
                configure?.Invoke(o);
            };
        });

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
