using System.Buffers.Binary;
using Actors.Checksums;

namespace Actors.Wal.Entries;

/// <summary>
/// The 32-byte segment header both entry-log layouts share (each with its own magic): magic (8), version (2), minimum
/// compatible version (2), reserved (4), the segment's first LSN or position (8), reserved (4), CRC32C over bytes [0, 28).
/// </summary>
internal static class EntrySegmentHeader
{
    public const int Size = 32;

    public static void Write(Span<byte> destination, ulong magic, int version, long first)
    {
        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(destination, magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], (ushort)version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], (ushort)version);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], first);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>The header's first LSN or position; null when it is short, has another magic, or fails its CRC.</summary>
    /// <exception cref="UnsupportedFormatVersionException">A valid header whose minimum compatible version is above <paramref name="version"/>.</exception>
    public static long? TryRead(ReadOnlySpan<byte> source, ulong magic, int version, string path)
    {
        if (source.Length < Size
            || BinaryPrimitives.ReadUInt64LittleEndian(source) != magic
            || BinaryPrimitives.ReadUInt32LittleEndian(source[28..]) != Crc32C.Compute(source[..28]))
        {
            return null;
        }

        int written = BinaryPrimitives.ReadUInt16LittleEndian(source[8..]);
        int minCompatible = BinaryPrimitives.ReadUInt16LittleEndian(source[10..]);
        if (minCompatible > version)
        {
            throw new UnsupportedFormatVersionException(path, written, minCompatible, version);
        }

        return BinaryPrimitives.ReadInt64LittleEndian(source[16..]);
    }
}
