using System.Buffers.Binary;
using System.Numerics;

namespace Actors.Checksums;

/*
 * The one CRC32C (Castagnoli, reflected polynomial 0x82F63B78) of the repository, owned by the engines' low layer
 * (Actors.Wal.Files) because every checksummed format sits above it: the event log's records, segment headers and
 * metadata files (Actors.Wal), the entry logs and their journal (Actors.Wal.Entries), replication messages
 * (Actors.Replication, which references this low layer and not the log engines) and transferred partition files
 * (Actors.Cluster). Before the engine split this file was compiled into each of those assemblies as an internal copy.
 *
 * Standard CRC32C: register starts at 0xFFFFFFFF, the result is the register's complement; the check value of
 * "123456789" is 0xE3069283 (RFC 3720, appendix B.4). Changing it changes every on-disk and wire checksum.
 */

/// <summary>CRC32C (Castagnoli) over spans, hardware-accelerated through <see cref="BitOperations.Crc32C(uint, ulong)"/>.</summary>
/// <remarks>
/// Stateless and thread-safe. A running register is a plain <see cref="uint"/> the caller owns. Every on-disk and wire
/// checksum of the repository is this function: its result for given bytes never changes (the check value above is a
/// test in tests/Actors.Wal.Files.Tests/Checksums/Crc32CTests.cs).
/// </remarks>
public static class Crc32C
{
    /// <summary>The initial register value; pass it to the first <see cref="Update"/> and <see cref="Finish"/> the result.</summary>
    public const uint Seed = 0xFFFFFFFFu;

    /// <summary>Feeds <paramref name="data"/> into a running (not yet finished) CRC register.</summary>
    /// <returns>The register after <paramref name="data"/>: feeding a buffer in pieces gives the same register as feeding it whole.</returns>
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

    /// <summary>The CRC32C of the whole content of the file at <paramref name="path"/>, read in 64 KiB pieces.</summary>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> when it is missing).</exception>
    public static uint OfFile(string path)
    {
        using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        byte[] buffer = new byte[1 << 16];
        uint crc = Seed;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            crc = Update(crc, buffer.AsSpan(0, read));
        }

        return Finish(crc);
    }
}
