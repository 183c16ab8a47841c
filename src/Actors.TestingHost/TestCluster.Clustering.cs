using Actors.Cluster;
using Actors.Cluster.Membership;
using Actors.Hosting;

namespace Actors.TestingHost;

/// <content>How the silos of a clustered test cluster find each other: an in-process cluster store shared by them.</content>
public sealed partial class TestCluster
{
    private InMemoryClusterStore? _store;

    /// <summary>The in-process cluster store the silos share (null when the cluster is not clustered or uses <see cref="TestClusterOptions.ClusterStore"/>).</summary>
    public InMemoryClusterStore? ClusterStore => Options.IsClustered && Options.ClusterStore is null ? _store ??= new InMemoryClusterStore() : null;

    partial void EnsureClusteringAvailable(int silos)
    {
        if (silos > 1 && !Options.IsClustered)
        {
            throw new InvalidOperationException(
                "This test cluster runs one silo without clustering; set TestClusterOptions.UseClustering = true (or start with InitialSilosCount > 1) to add silos.");
        }
    }

    partial void CaptureSiloPort(SiloHandle silo)
    {
        if (Options.IsClustered
            && silo.Host.Services.GetService(typeof(IClusterView)) is IClusterView { Snapshot: { } snapshot } view
            && snapshot.FindSilo(view.SiloName) is { } row)
        {
            silo.SiloPort = int.Parse(row.SiloEndpoint.AsSpan(row.SiloEndpoint.LastIndexOf(':') + 1), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    partial void ConfigureClustering(ISiloBuilder siloBuilder, SiloHandle silo)
    {
        if (!Options.IsClustered)
        {
            return;
        }

        siloBuilder.UseClusterStore(Options.ClusterStore ?? ClusterStore!).UseClustering(o =>
        {
            o.ClusterId = Options.ClusterId;
            o.PartitionCount = Options.PartitionCount;
            o.BindAddress = "127.0.0.1";
            o.Port = 0;

            // The test cluster's silos share one process (and a loaded CI machine): a longer lease than the production
            // default keeps a stalled process from declaring its own silos dead. Tests that need faster failure
            // detection set it through ConfigureClusterOptions.
            o.LeaseDuration = TimeSpan.FromSeconds(10);
            o.LeaseRenewPeriod = TimeSpan.FromSeconds(1);
            Options.ConfigureClusterOptions?.Invoke(o);
        });
    }
}
