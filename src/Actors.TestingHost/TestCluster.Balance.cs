using Actors.Cluster;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.TestingHost;

/// <content>Waiting for a clustered test cluster's partitions to settle after silos joined or left.</content>
public sealed partial class TestCluster
{
    /// <summary>
    /// Waits until the first running silo's view lists exactly the running silos as Active, every partition is owned
    /// where <see cref="PartitionPlanner"/> places it, and each running silo serves exactly the partitions it owns (the
    /// partition counterpart of Orleans' <c>WaitForLivenessToStabilizeAsync</c>). Polls; no fixed wait.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cluster is not clustered or no silo runs.</exception>
    /// <exception cref="TimeoutException">Not balanced within <paramref name="timeout"/>; the message says what was still off.</exception>
    public async Task WaitForPartitionsBalancedAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!Options.IsClustered)
        {
            throw new InvalidOperationException("This test cluster runs one silo without clustering: it has no partitions to balance.");
        }

        DateTime deadline = DateTime.UtcNow + timeout;
        while (PartitionImbalance() is { } imbalance)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout} for the partitions to be balanced and served: {imbalance}.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>What keeps the partitions from being balanced and served now, or null when they are.</summary>
    private string? PartitionImbalance()
    {
        SiloHandle[] running = [.. GetActiveSilos()];
        if (running.Length == 0)
        {
            throw new InvalidOperationException("No silo of the test cluster runs.");
        }

        if (running[0].Services.GetRequiredService<IClusterView>().Snapshot is not { } snapshot)
        {
            return $"{running[0].Name} has no view of the cluster yet";
        }

        // The view must already know every silo that joined or left (a stale view looks balanced too).
        string[] names = [.. running.Select(s => s.Name).Order(StringComparer.Ordinal)];
        string[] active = [.. snapshot.Silos.Where(s => s.Status == SiloStatus.Active).Select(s => s.Name).Order(StringComparer.Ordinal)];
        if (!names.SequenceEqual(active))
        {
            return $"{running[0].Name}'s view (table version {snapshot.TableVersion}) lists [{string.Join(", ", active)}] as Active, running are [{string.Join(", ", names)}]";
        }

        string?[] plan = PartitionPlanner.Plan(snapshot);
        if (snapshot.Partitions.FirstOrDefault(p => p.State != PartitionState.Owned || p.Owner != plan[p.Partition]) is { } unplaced)
        {
            return $"partition {unplaced.Partition} is {unplaced.State} by '{unplaced.Owner}', planned for '{plan[unplaced.Partition]}'";
        }

        foreach (SiloHandle silo in running)
        {
            IReadOnlyList<LocalPartitionState> local = silo.Services.GetRequiredService<IClusterView>().LocalPartitions;
            int serving = local.Count(l => l == LocalPartitionState.Serving);
            int owned = snapshot.Partitions.Count(p => p.Owner == silo.Name);
            if (serving != owned)
            {
                // Which partitions differ and how: a partition owned but Lost or stuck Opening is a defect, not a slow move.
                IEnumerable<string> off = snapshot.Partitions
                    .Where(p => (p.Owner == silo.Name) != (p.Partition < local.Count && local[p.Partition] == LocalPartitionState.Serving))
                    .Select(p => $"partition {p.Partition} owned by '{p.Owner}' (epoch {p.Epoch}) is {(p.Partition < local.Count ? local[p.Partition] : "unknown")} there");
                return $"{silo.Name} serves {serving} partitions and owns {owned}: {string.Join("; ", off)}";
            }
        }

        return null;
    }
}
