using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Cluster.Hosting;

/// <summary>
/// Ready when the silo is a member (joined, lease valid) and serves every partition the table gives its incarnation;
/// unhealthy when declared dead, degraded while partitions it owns are not served yet.
/// </summary>
internal sealed class ClusterHealthCheck(IClusterView view) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (view.IsDeclaredDead)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"silo '{view.SiloName}' was declared dead by its cluster"));
        }

        if (!view.IsMember || view.Snapshot is not { } snapshot)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"silo '{view.SiloName}' has not joined its cluster or its lease lapsed"));
        }

        int[] pending = snapshot.Partitions
            .Where(p => string.Equals(p.Owner, view.SiloName, StringComparison.Ordinal) && view.LocalPartitions.Count > p.Partition
                && view.LocalPartitions[p.Partition] != LocalPartitionState.Serving && p.State == PartitionState.Owned)
            .Select(p => p.Partition).ToArray();
        return Task.FromResult(pending.Length == 0
            ? HealthCheckResult.Healthy($"member of '{snapshot.ClusterId}' as incarnation {view.Incarnation}, table version {snapshot.TableVersion}")
            : HealthCheckResult.Degraded($"partitions not served yet: {string.Join(", ", pending)}"));
    }
}
