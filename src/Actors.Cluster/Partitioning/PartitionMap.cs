using Actors.Routing;

namespace Actors.Cluster.Partitioning;

/// <summary>Maps grain ids to partitions (<see cref="GrainPartitioner"/>, shared with the gateway client).</summary>
/// <remarks>
/// The function is part of the stored format: changing it would put grains in partitions whose logs do not hold them.
/// It depends only on the grain id and the partition count fixed when the cluster was created.
/// </remarks>
public static class PartitionMap
{
    /// <summary>The partition of <paramref name="grainId"/> in a cluster of <paramref name="partitionCount"/> partitions.</summary>
    public static int GetPartition(GrainId grainId, int partitionCount) => GrainPartitioner.GetPartition(grainId, partitionCount);

    /// <summary>A 64-bit FNV-1a hash of a string's UTF-8 bytes (also used for rendezvous and hash-based placement).</summary>
    public static ulong Hash(string text) => GrainPartitioner.Hash(text);

    /// <summary>A hash of two values (rendezvous hashing: a partition and a silo name).</summary>
    public static ulong Hash(int value, string text) => GrainPartitioner.Hash(value, text);
}
