using System.Buffers.Binary;
using Actors.Wal.Format;

namespace Actors.Wal.Recovery;

/*
 * Segment manifest "segments.manifest": the set of live segments (LevelDB MANIFEST-style, but rewritten whole).
 * Written as "segments.manifest.tmp", fsync, rename over "segments.manifest", fsync the directory:
 *   - after a new segment's header and the directory are fsynced, BEFORE any record is written into it;
 *   - after the recovery snapshot and BEFORE a segment file is deleted (the segment is no longer listed).
 * So every segment that may hold acknowledged data is listed, and a listed segment is never deleted.
 * All integers little-endian.
 *
 *   offset size field
 *   0      4    Magic                 0x4E414D57
 *   4      2    Version               1
 *   6      2    MinCompatibleVersion  1
 *   8      4    SegmentCount
 *   12     ...  SegmentCount x 13 bytes: u32 SegmentId, u8 Sealed, i64 SealedLength (end of the seal record; 0 when not sealed)
 *   end-4  4    CRC32C of every preceding byte
 */

/// <summary>The persisted list of live segments that lets recovery detect a missing or truncated segment.</summary>
internal sealed class SegmentManifest
{
    /// <summary>The manifest file name.</summary>
    public const string FileName = "segments.manifest";

    /// <summary>The temporary file name used while writing.</summary>
    public const string TempFileName = "segments.manifest.tmp";

    /// <summary>The format version this build writes and reads.</summary>
    public const ushort CurrentVersion = 1;

    private const uint Magic = 0x4E414D57;
    private const int HeaderSize = 12;
    private const int EntrySize = 13;

    /// <summary>The live segments in id order.</summary>
    public List<(uint Id, bool Sealed, long SealedLength)> Segments { get; init; } = [];

    /// <summary>Serializes a manifest listing <paramref name="segments"/>.</summary>
    public static byte[] Serialize(IReadOnlyCollection<(uint Id, bool Sealed, long SealedLength)> segments)
    {
        var buffer = new byte[HeaderSize + (segments.Count * EntrySize) + 4];
        Span<byte> d = buffer;
        BinaryPrimitives.WriteUInt32LittleEndian(d, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(d[6..], CurrentVersion);
        BinaryPrimitives.WriteInt32LittleEndian(d[8..], segments.Count);
        int o = HeaderSize;
        foreach (var (id, isSealed, length) in segments.OrderBy(s => s.Id))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(d[o..], id);
            d[o + 4] = isSealed ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 5)..], isSealed ? length : 0);
            o += EntrySize;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(d[o..], Crc32C.Compute(d[..o]));
        return buffer;
    }

    /// <summary>
    /// Parses a manifest; null with a reason when it is damaged. <paramref name="minCompatibleVersion"/> is set when
    /// the file is intact but needs a newer reader (the caller reports <see cref="UnsupportedFormatVersionException"/>).
    /// </summary>
    public static SegmentManifest? TryParse(ReadOnlySpan<byte> data, out string? reason, out ushort version, out ushort minCompatibleVersion)
    {
        reason = null;
        version = 0;
        minCompatibleVersion = 0;
        if (data.Length < HeaderSize + 4 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
        {
            reason = "bad magic or too short";
            return null;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]) != Crc32C.Compute(data[..^4]))
        {
            reason = "checksum mismatch";
            return null;
        }

        version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        minCompatibleVersion = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        if (minCompatibleVersion > CurrentVersion)
        {
            reason = $"written by incompatible format version {version}";
            return null;
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        if (count < 0 || HeaderSize + ((long)count * EntrySize) + 4 != data.Length)
        {
            reason = "segment count out of range";
            return null;
        }

        var segments = new List<(uint, bool, long)>(count);
        for (int i = 0, o = HeaderSize; i < count; i++, o += EntrySize)
        {
            segments.Add((BinaryPrimitives.ReadUInt32LittleEndian(data[o..]), data[o + 4] == 1, BinaryPrimitives.ReadInt64LittleEndian(data[(o + 5)..])));
        }

        return new SegmentManifest { Segments = segments };
    }
}
