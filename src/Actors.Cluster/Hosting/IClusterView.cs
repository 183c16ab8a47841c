using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;

namespace Actors.Cluster;

/// <summary>
/// A read-only view of the cluster as this silo sees it, for dashboards, health and tools: its own identity, the
/// membership and partition tables, and what it serves. Registered as a singleton by <c>UseClustering</c>.
/// </summary>
public interface IClusterView
{
    /// <summary>This silo's name.</summary>
    string SiloName { get; }

    /// <summary>This silo's incarnation (0 before it joined).</summary>
    long Incarnation { get; }

    /// <summary>Whether this silo joined and its lease is valid now.</summary>
    bool IsMember { get; }

    /// <summary>Whether the cluster store declared this silo dead (it stopped serving; its host stops).</summary>
    bool IsDeclaredDead { get; }

    /// <summary>The latest table this silo read, or null before it joined.</summary>
    ClusterSnapshot? Snapshot { get; }

    /// <summary>
    /// Reads the whole table from the cluster store now (null before this silo joined), with every silo's current lease.
    /// For dashboards and tools: <see cref="Snapshot"/> is kept up to date by changes only, so its lease expiries of rows
    /// that did not change are as last read.
    /// </summary>
    /// <exception cref="Membership.ClusterStoreException">The store failed.</exception>
    Task<ClusterSnapshot?> ReadTableAsync(CancellationToken cancellationToken);

    /// <summary>This silo's local state of each partition (empty before it joined).</summary>
    IReadOnlyList<LocalPartitionState> LocalPartitions { get; }

    /// <summary>The gateway endpoints (<c>host:port</c>) of the Active silos that run a gateway.</summary>
    IReadOnlyList<string> Gateways { get; }

    /// <summary>How many calls this silo has forwarded to another silo (each one hop), since it started.</summary>
    long ForwardedCalls { get; }
}
