using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Actors.Wal.Index;

/// <summary>
/// A 64-bit hash of a stream id's UTF-8 bytes (multiply-rotate over 8-byte words, then the murmur3 finalizer).
/// Never returns 0, which marks an empty index slot. Collisions are possible and handled by the index.
/// </summary>
internal static class StreamHash
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;

    /// <summary>Hashes the UTF-8 bytes of a stream id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Compute(ReadOnlySpan<byte> utf8)
    {
        ulong h = 0x27D4EB2F165667C5UL ^ ((ulong)utf8.Length * Prime1);
        while (utf8.Length >= 8)
        {
            h ^= BitOperations.RotateLeft(BinaryPrimitives.ReadUInt64LittleEndian(utf8) * Prime2, 31) * Prime1;
            h = (BitOperations.RotateLeft(h, 27) * Prime1) + 0x85EBCA77C2B2AE63UL;
            utf8 = utf8[8..];
        }

        ulong tail = 0;
        for (int i = 0; i < utf8.Length; i++)
        {
            tail |= (ulong)utf8[i] << (8 * i);
        }

        h ^= BitOperations.RotateLeft(tail * Prime2, 31) * Prime1;
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h == 0 ? 1 : h;
    }
}
