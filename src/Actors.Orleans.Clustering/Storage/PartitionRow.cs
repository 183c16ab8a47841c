using System.Collections.Immutable;

namespace Actors.Orleans.Clustering.Storage;

/// <summary>One partition's row of <c>actors_replica_configurations</c> as the cluster layer reads it.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Version">The row's version (the condition of its next write).</param>
/// <param name="Epoch">The leader's epoch.</param>
/// <param name="Leader">The leading replica's number (<c>actors_orleans_replicas.replica</c>).</param>
/// <param name="Replicas">Every replica of the partition (one with a replication factor of 1), sorted.</param>
internal readonly record struct PartitionRow(int Partition, long Version, long Epoch, int Leader, ImmutableArray<int> Replicas)
{
    /// <summary>The row of <paramref name="partition"/> holding <paramref name="configuration"/>.</summary>
    public static PartitionRow Of(int partition, Actors.Replication.Configuration.ReplicaConfiguration configuration) =>
        new(partition, configuration.Version, configuration.Epoch, configuration.Leader.Value, [.. configuration.Replicas.Select(r => r.Value)]);

    /// <summary>Whether replica <paramref name="replica"/> is one of the partition's replicas.</summary>
    public bool Names(int replica) => Replicas.Contains(replica);
}
