namespace Actors.TestingHost;

/// <summary>Options of a <see cref="TestCluster"/> (the shape of Orleans' <c>TestClusterOptions</c>).</summary>
public sealed class TestClusterOptions
{
    /// <summary>
    /// How many silos <see cref="TestCluster.DeployAsync"/> starts. Default 1 (Orleans starts 2): a single silo runs
    /// without clustering, exactly as the embedded default; two or more form a cluster.
    /// </summary>
    public short InitialSilosCount { get; set; } = 1;

    /// <summary>
    /// Whether the silos form a cluster (membership, silo-to-silo messaging, partitioned logs) over an in-process store
    /// shared by this test cluster's silos. Null (default): when <see cref="InitialSilosCount"/> is two or more. Set it to
    /// true to start with one silo and add more later.
    /// </summary>
    public bool? UseClustering { get; set; }

    /// <summary>
    /// The cluster store the silos share (for example a PostgreSQL store against a test server). Null (default): an
    /// in-process store created for this test cluster.
    /// </summary>
    public Actors.Cluster.Membership.IClusterStore? ClusterStore { get; set; }

    /// <summary>The partition count of the test cluster (when clustered). Default 8.</summary>
    public int PartitionCount { get; set; } = 8;

    /// <summary>
    /// Adjusts every silo's cluster options after the test cluster's own settings (ports, cluster id, partitions, and a
    /// 10 s lease renewed every second: longer than the production default, because the silos share one process).
    /// </summary>
    public Action<Actors.Cluster.ClusterOptions>? ConfigureClusterOptions { get; set; }

    /// <summary>Whether the silos form a cluster (see <see cref="UseClustering"/>).</summary>
    public bool IsClustered => UseClustering ?? InitialSilosCount > 1;

    /// <summary>The cluster's id (the membership and partition tables are per cluster id). Default a new unique id.</summary>
    public string ClusterId { get; set; } = "testcluster-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// The directory under which each silo gets its data directory; default a new directory under the system temp
    /// directory, deleted when the cluster is disposed.
    /// </summary>
    public string? BaseDirectory { get; set; }

    /// <summary>
    /// Whether <see cref="TestCluster.Client"/> connects through the silos' gateways over TCP, as Orleans' test client
    /// does: every call then takes the real wire path (serialize, frame, deserialize), so tests see what a remote client
    /// sees. Default true. False calls a silo in-process instead (arguments follow the in-silo copy rule).
    /// </summary>
    public bool ConnectClientThroughGateway { get; set; } = true;
}
