using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Cluster.Tests.Support;

/// <summary>Waits until the primary's view lists exactly the running silos as Active, the partitions are placed as planned and each owner serves them.</summary>
public static class ClusterBalance
{
    public static async Task WaitAsync(TestCluster cluster, TimeSpan patience)
    {
        IClusterView view = cluster.Primary.Services.GetRequiredService<IClusterView>();
        await Eventually.TrueAsync(() =>
        {
            ClusterSnapshot? snapshot = view.Snapshot;
            if (snapshot is null)
            {
                return false;
            }

            // The view must already know every silo that joined or left (a stale view is balanced too).
            string[] running = [.. cluster.GetActiveSilos().Select(s => s.Name).Order(StringComparer.Ordinal)];
            string[] active = [.. snapshot.Silos.Where(s => s.Status == SiloStatus.Active).Select(s => s.Name).Order(StringComparer.Ordinal)];
            string?[] plan = PartitionPlanner.Plan(snapshot);
            return running.SequenceEqual(active)
                && snapshot.Partitions.All(p => p.State == PartitionState.Owned && p.Owner == plan[p.Partition])
                && cluster.GetActiveSilos().All(s => s.Services.GetRequiredService<IClusterView>().LocalPartitions.Count(l => l == LocalPartitionState.Serving)
                    == snapshot.Partitions.Count(p => p.Owner == s.Name));
        }, patience, "partitions balanced and served");
    }
}
