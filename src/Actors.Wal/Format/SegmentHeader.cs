using System.Buffers.Binary;
using Actors.Checksums;

namespace Actors.Wal.Format;

/*
 * Segment file: "<SegmentId as 10 decimal digits>.wal", e.g. 0000000001.wal.
 *
 *   [segment header, 64 bytes][record][record]...[seal record (sealed segments only)][zeros to the end of file]
 *
 * Segment header, all integers little-endian:
 *
 *   offset size field
 *   0      4    Magic                 0x57534547 ("GESW" in file byte order: 'G','E','S','W'... written as LE uint)
 *   4      2    Version               format version that wrote the file (currently 6; 5 before span positions, 4 before anchor positions, 3 before record salts, 2 before
 *                                       encryption at rest, 1 before Relocated records could be empty)
 *   6      2    MinCompatibleVersion  oldest reader format version able to read the file (6: an older reader would take
 *                                       a record's span flag for damage; 5 files said 5: the anchor flag; 4 files said
 *                                       4: salted record CRCs)
 *   8      4    SegmentId             equals the number in the file name
 *   12     4    HeaderSize            64; records start at this offset
 *   16     8    BaseLsn               the next LSN when the segment was created (first record's LSN or later)
 *   24     8    CreatedUtcTicks       creation time, DateTimeOffset.UtcTicks from the log's TimeProvider
 *   32     8    SegmentSizeBytes      the configured maximum size when the segment was created
 *   40     4    KeyId                 the encryption key current when the segment was created (0: not encrypted); every
 *                                       payload the segment holds is sealed with a key of this id or, in the segment that
 *                                       was active when the log reopened with a newer key, a newer one (version 3)
 *   44     8    KeyFingerprint        EncryptionKey.Fingerprint of that key (0 when KeyId is 0; version 3)
 *   52     4    RecordSalt            the value every record CRC of this segment is seeded with (the CRC register starts
 *                                       at 0xFFFFFFFF XOR RecordSalt; see RecordCodec.ComputeCrc): the segment id, so
 *                                       never 0 (version 4; 0 before: records of older files carry unsalted CRCs)
 *   56     4    Flags                 bit 0: the file is a recycled segment's (its bytes after this segment's records may
 *                                       be an earlier incarnation's; version 4; 0 before); other bits zero
 *   60     4    HeaderCrc             CRC32C of bytes [0, 60)
 *
 * Why a salt: a recycled file keeps the records of its earlier incarnations behind the new header (it is not zeroed).
 * Segment ids only grow, so every earlier incarnation had another salt, and a CRC computed from one seed never matches
 * the same bytes under another (CRC32C is linear: the two differ by the seeds' difference carried through the record's
 * length, which is never zero). A stale record therefore fails validation like any non-record bytes: the end of this
 * segment's records, never one of its records.
 *
 * A reader accepts a file when MinCompatibleVersion <= its own Version; otherwise it reports
 * UnsupportedFormatVersionException naming the file.
 */

/// <summary>The fixed 64-byte header at the start of each segment file.</summary>
internal readonly record struct SegmentHeader(uint SegmentId, long BaseLsn, long CreatedUtcTicks, long SegmentSizeBytes, uint KeyId = 0, ulong KeyFingerprint = 0, uint RecordSalt = 0, bool IsRecycledFile = false, ushort FormatVersion = SegmentHeader.CurrentVersion)
{
    /// <summary>Flags bit 0: the file is a recycled segment's (see <see cref="IsRecycledFile"/>).</summary>
    public const uint RecycledFileFlag = 1;

    /// <summary>The header's size on disk; the first record starts here.</summary>
    public const int Size = 64;

    /// <summary>The magic number identifying a segment file.</summary>
    public const uint Magic = 0x57534547;

    /// <summary>The format version this build writes.</summary>
    /// <remarks>
    /// 2: a Relocated record may hold no items (an erase that keeps nothing of a stream but its version). Version 1
    /// readers would call such a record damaged, so version 2 files require version 2 readers. 3: encryption at rest (the
    /// key fields, and records whose payloads are encrypted); an unencrypted version 3 file is version 2 compatible. 4:
    /// record CRCs seeded with <see cref="RecordSalt"/>, so recycled files need no zeroing; older readers must refuse
    /// such files. 5: records may end with an anchor position (record flag bit 1, <see cref="RecordHeader.AnchorFlag"/>);
    /// a version 4 reader rejects that flag as damage, so it must refuse the file by version instead. 6: an anchor may carry
    /// the positions of the records of its span (record flag bit 2, <see cref="RecordHeader.SpanFlag"/>), which a version 5
    /// reader rejects as damage. This build reads all six (and keeps writing an older active segment's records in its
    /// format: unsalted before 4, without anchors before 5, without span positions before 6).
    /// </remarks>
    public const ushort CurrentVersion = 6;

    /// <summary>The oldest reader version that can read a segment this build creates (anchors with span positions).</summary>
    public const ushort CurrentMinCompatibleVersion = 6;

    /// <summary>The first format version whose records may carry an anchor position.</summary>
    public const ushort AnchorsVersion = 5;

    /// <summary>True when records written into this segment may carry an anchor position (format version 5 or later).</summary>
    public bool AllowsAnchors => FormatVersion >= AnchorsVersion;

    /// <summary>The first format version whose anchors may carry span positions.</summary>
    public const ushort SpansVersion = 6;

    /// <summary>True when anchors written into this segment may carry span positions (format version 6 or later).</summary>
    public bool AllowsSpans => FormatVersion >= SpansVersion;

    /// <summary>
    /// The header of a new segment in the current format: its record salt is its id; <paramref name="recycledFile"/> says
    /// the file held an earlier segment (whose bytes after this segment's records are left as they were).
    /// </summary>
    public static SegmentHeader Create(uint segmentId, long baseLsn, long createdUtcTicks, long segmentSizeBytes, uint keyId, ulong keyFingerprint, bool recycledFile)
        => new(segmentId, baseLsn, createdUtcTicks, segmentSizeBytes, keyId, keyFingerprint, RecordSalt: segmentId, IsRecycledFile: recycledFile);

    /// <summary>Formats the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
        => Write(destination, CurrentVersion, CurrentMinCompatibleVersion);

    /// <summary>Formats the header with explicit version fields (tests use this to fake a future format).</summary>
    public void Write(Span<byte> destination, ushort version, ushort minCompatibleVersion)
    {
        Span<byte> d = destination[..Size];
        d.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(d, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], version);
        BinaryPrimitives.WriteUInt16LittleEndian(d[6..], minCompatibleVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], SegmentId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], Size);
        BinaryPrimitives.WriteInt64LittleEndian(d[16..], BaseLsn);
        BinaryPrimitives.WriteInt64LittleEndian(d[24..], CreatedUtcTicks);
        BinaryPrimitives.WriteInt64LittleEndian(d[32..], SegmentSizeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(d[40..], KeyId);
        BinaryPrimitives.WriteUInt64LittleEndian(d[44..], KeyFingerprint);
        BinaryPrimitives.WriteUInt32LittleEndian(d[52..], RecordSalt);
        BinaryPrimitives.WriteUInt32LittleEndian(d[56..], IsRecycledFile ? RecycledFileFlag : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(d[60..], Crc32C.Compute(d[..60]));
    }

    /// <summary>Parses a header. Returns a status saying what, if anything, is wrong.</summary>
    public static SegmentHeaderStatus TryRead(ReadOnlySpan<byte> source, out SegmentHeader header, out ushort version, out ushort minCompatibleVersion)
    {
        header = default;
        version = 0;
        minCompatibleVersion = 0;
        if (source.Length < Size)
        {
            return source.IndexOfAnyExcept((byte)0) < 0 ? SegmentHeaderStatus.Empty : SegmentHeaderStatus.Truncated;
        }

        ReadOnlySpan<byte> s = source[..Size];
        if (s.IndexOfAnyExcept((byte)0) < 0)
        {
            return SegmentHeaderStatus.Empty;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(s) != Magic)
        {
            return SegmentHeaderStatus.BadMagic;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(s[60..]) != Crc32C.Compute(s[..60]))
        {
            return SegmentHeaderStatus.BadChecksum;
        }

        version = BinaryPrimitives.ReadUInt16LittleEndian(s[4..]);
        minCompatibleVersion = BinaryPrimitives.ReadUInt16LittleEndian(s[6..]);
        header = new SegmentHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(s[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(s[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(s[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(s[32..]),
            version >= 3 ? BinaryPrimitives.ReadUInt32LittleEndian(s[40..]) : 0,
            version >= 3 ? BinaryPrimitives.ReadUInt64LittleEndian(s[44..]) : 0,
            version >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(s[52..]) : 0,
            version >= 4 && (BinaryPrimitives.ReadUInt32LittleEndian(s[56..]) & RecycledFileFlag) != 0,
            version);
        if (minCompatibleVersion > CurrentVersion)
        {
            return SegmentHeaderStatus.UnsupportedVersion;
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(s[12..]) == Size ? SegmentHeaderStatus.Ok : SegmentHeaderStatus.BadChecksum;
    }

    /// <summary>The record salt of the segment whose file starts with <paramref name="fileStart"/> (0 when its header is not readable).</summary>
    public static uint ReadRecordSalt(ReadOnlySpan<byte> fileStart)
        => TryRead(fileStart, out var header, out _, out _) is SegmentHeaderStatus.Ok ? header.RecordSalt : 0;

    /// <summary>The file name of a segment.</summary>
    public static string FileName(uint segmentId) => $"{segmentId:D10}.wal";

    /// <summary>Parses a segment file name; false for other files.</summary>
    public static bool TryParseFileName(string fileName, out uint segmentId)
    {
        segmentId = 0;
        return fileName.Length == 14 && fileName.EndsWith(".wal", StringComparison.Ordinal)
            && uint.TryParse(fileName.AsSpan(0, 10), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out segmentId);
    }
}
