using System.Buffers.Binary;
using System.Numerics;

namespace Actors.Cluster.Storage;

/// <summary>CRC32C (Castagnoli, hardware-accelerated) over a sequence of spans; used to check transferred partition files.</summary>
internal static class Crc32CHasher
{
    /// <summary>The value before any byte.</summary>
    public const uint Initial = 0xFFFFFFFF;

    /// <summary>Folds <paramref name="data"/> into a running <paramref name="crc"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>The final value of a running CRC.</summary>
    public static uint Complete(uint crc) => ~crc;

    /// <summary>The CRC32C of a whole file.</summary>
    public static uint OfFile(string path)
    {
        using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        byte[] buffer = new byte[1 << 16];
        uint crc = Initial;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            crc = Append(crc, buffer.AsSpan(0, read));
        }

        return Complete(crc);
    }
}
