using System.Buffers.Binary;
using System.IO.Hashing;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Partitioning;

/// <summary>
/// Maps an Orleans <see cref="GrainId"/> to its partition. Part of the stored format (docs/cluster-orleans.md): a grain's
/// streams live in its partition's log, so changing this function, or a cluster's partition count, would look for grains
/// where their data is not.
/// </summary>
/// <remarks>
/// The hash is XxHash32 (seed 0) over: the grain type's UTF-8 bytes' length as a 4-byte little-endian integer, the grain
/// type's bytes (<see cref="GrainType.AsSpan"/>), then the key's bytes (<see cref="IdSpan.AsSpan"/>). The partition is the
/// hash as an unsigned 32-bit integer modulo the partition count. The length prefix keeps (type "ab", key "c") apart from
/// (type "a", key "bc"). Orleans's own <c>GetUniformHashCode</c> is not used: it is Orleans's to change.
/// </remarks>
public static class GrainPartitions
{
    /// <summary>The longest id (length prefix, type and key) hashed from a stack buffer; a longer one streams through a hasher.</summary>
    private const int StackHashBytes = 256;

    /// <summary>The 32-bit hash of <paramref name="grainId"/> (see the remarks of <see cref="GrainPartitions"/>).</summary>
    public static uint Hash(GrainId grainId)
    {
        ReadOnlySpan<byte> type = grainId.Type.AsSpan();
        ReadOnlySpan<byte> key = grainId.Key.AsSpan();
        int length = 4 + type.Length + key.Length;
        if (length <= StackHashBytes)
        {
            // The common case, without allocating: the same bytes in one span (XxHash32 of a concatenation is the
            // streaming hash of its parts).
            Span<byte> bytes = stackalloc byte[StackHashBytes];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, type.Length);
            type.CopyTo(bytes[4..]);
            key.CopyTo(bytes[(4 + type.Length)..]);
            return XxHash32.HashToUInt32(bytes[..length]);
        }

        var hash = new XxHash32(0);
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, type.Length);
        hash.Append(prefix);
        hash.Append(type);
        hash.Append(key);
        return hash.GetCurrentHashAsUInt32();
    }

    /// <summary>The partition of <paramref name="grainId"/> in a cluster of <paramref name="partitionCount"/> partitions.</summary>
    public static int GetPartition(GrainId grainId, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return (int)(Hash(grainId) % (uint)partitionCount);
    }
}
