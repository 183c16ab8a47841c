namespace Actors.Orleans.Clustering.Storage;

/// <summary>One partition's row of <c>actors_replica_configurations</c> as the cluster layer reads it.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Version">The row's version (the condition of its next write).</param>
/// <param name="Epoch">The leader's epoch.</param>
/// <param name="Leader">The leading replica's number (<c>actors_orleans_replicas.replica</c>).</param>
internal readonly record struct PartitionRow(int Partition, long Version, long Epoch, int Leader);
