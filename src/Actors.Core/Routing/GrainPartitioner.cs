using System.Text;

namespace Actors.Routing;

/// <summary>
/// Maps grain ids to partitions: FNV-1a 64 over the UTF-8 bytes of <c>type/key</c>, then a 64-bit avalanche finalizer,
/// modulo the cluster's partition count. Shared by the silos (which place grains by it) and the gateway client (which
/// sends a call straight to its partition's owner).
/// </summary>
/// <remarks>
/// The function is part of the stored format: changing it would put grains in partitions whose logs do not hold them.
/// It depends only on the grain id and the partition count fixed when the cluster was created.
/// </remarks>
public static class GrainPartitioner
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>The partition of <paramref name="grainId"/> in a cluster of <paramref name="partitionCount"/> partitions.</summary>
    public static int GetPartition(GrainId grainId, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        ulong hash = OffsetBasis;
        hash = Mix(hash, grainId.Type);
        hash = Mix(hash, "/");
        hash = Mix(hash, grainId.Key);
        return (int)(Finalize(hash) % (ulong)partitionCount);
    }

    /// <summary>A 64-bit FNV-1a hash of a string's UTF-8 bytes (also used for rendezvous and hash-based placement).</summary>
    public static ulong Hash(string text) => Finalize(Mix(OffsetBasis, text));

    /// <summary>A hash of two values (rendezvous hashing: a partition and a silo name).</summary>
    public static ulong Hash(int value, string text)
    {
        ulong hash = OffsetBasis;
        for (int i = 0; i < 4; i++)
        {
            hash = (hash ^ (byte)(value >> (8 * i))) * Prime;
        }

        return Finalize(Mix(hash, text));
    }

    private static ulong Mix(ulong hash, string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = max > buffer.Length ? new byte[max] : null;
        Span<byte> bytes = rented ?? buffer;
        int count = Encoding.UTF8.GetBytes(text, bytes);
        foreach (byte b in bytes[..count])
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }

    // FNV's low bits mix poorly for short inputs that differ only at the end; a final avalanche spreads them.
    private static ulong Finalize(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53;
        hash ^= hash >> 33;
        return hash;
    }
}
