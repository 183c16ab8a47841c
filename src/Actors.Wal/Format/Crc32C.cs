using System.Buffers.Binary;
using System.Numerics;

namespace Actors.Wal.Format;

/// <summary>CRC32C (Castagnoli) over spans, hardware-accelerated through <see cref="BitOperations.Crc32C(uint, ulong)"/>.</summary>
internal static class Crc32C
{
    /// <summary>The initial register value; pass it to the first <see cref="Update"/> and <see cref="Finish"/> the result.</summary>
    public const uint Seed = 0xFFFFFFFFu;

    /// <summary>Feeds <paramref name="data"/> into a running (not yet finished) CRC register.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>Finishes a running register into the checksum value.</summary>
    public static uint Finish(uint crc) => ~crc;

    /// <summary>The CRC32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Seed, data));
}
