using System.Buffers.Binary;
using Actors.Checksums;

namespace Actors.Wal.Entries.Journal;

/*
 * Entry journal files (one directory per journal, shared by many entry logs). All integers little-endian.
 *
 * Segment file "{FirstPosition:D20}.journal": a 32-byte header, then records back to back without padding, then (in the
 * active segment only) zeros up to the zero-filled reserve. Positions are journal-wide: a segment's first record is at
 * position FirstPosition + 32, and the next segment's FirstPosition is the previous one's plus its sealed length.
 *
 *   offset size field
 *   0      8    Magic                 "ACTJOURN"
 *   8      2    Version               1
 *   10     2    MinCompatibleVersion  1
 *   12     4    Reserved              0
 *   16     8    FirstPosition         the journal-wide position of the file's byte 0
 *   24     4    Reserved              0
 *   28     4    Crc                   CRC32C over bytes [0, 28)
 *
 * Record:
 *
 *   offset size field
 *   0      4    Length   total bytes of the record, this header included (>= 32)
 *   4      4    Crc      CRC32C over bytes [0, 4) followed by bytes [8, Length)
 *   8      1    Kind     1 entry, 2 truncate, 3 reset (JournalRecordKind)
 *   9      3    Reserved 0
 *   12     4    LogId    the entry log the record belongs to
 *   16     8    Lsn      entry: its LSN; truncate: the last LSN kept; reset: the installed checkpoint's LSN
 *   24     8    Epoch    entry: its epoch; reset: the checkpoint's epoch; truncate: 0
 *   32     n    Payload  entry only: opaque bytes, n = Length - 32
 *
 * A record is all-or-nothing across a crash: a torn one fails its CRC (or its length runs past the file's end), and the
 * scan stops there, so recovery keeps a prefix of the records written (every synced one).
 *
 * Each log's epoch, checkpoint and install files stay in the log's own directory (EntryLogFormat's layout).
 */

/// <summary>Encodes and decodes the entry journal's segment headers and records (layout above).</summary>
internal static class EntryJournalFormat
{
    public const int Version = 1;
    public const int SegmentHeaderSize = 32;
    public const int RecordHeaderSize = 32;
    public const string SegmentSuffix = ".journal";
    public const string LockFileName = "LOCK";

    private const ulong Magic = 0x4E52554F4A544341; // "ACTJOURN" read little-endian

    public static string SegmentFileName(long firstPosition) => $"{firstPosition:D20}{SegmentSuffix}";

    public static void WriteSegmentHeader(Span<byte> destination, long firstPosition) => EntrySegmentHeader.Write(destination, Magic, Version, firstPosition);

    /// <summary>Reads a segment header's first position; null when it is short, not one, or fails its CRC.</summary>
    /// <exception cref="UnsupportedFormatVersionException">A valid header of a version this build cannot read.</exception>
    public static long? TryReadSegmentHeader(ReadOnlySpan<byte> source, string path) => EntrySegmentHeader.TryRead(source, Magic, Version, path);

    public static int RecordSize(int payloadLength) => RecordHeaderSize + payloadLength;

    public static void WriteRecord(Span<byte> destination, JournalRecordKind kind, int logId, long lsn, long epoch, ReadOnlySpan<byte> payload)
    {
        int length = RecordSize(payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(destination, length);
        destination[8] = (byte)kind;
        destination.Slice(9, 3).Clear();
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], logId);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], lsn);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], epoch);
        payload.CopyTo(destination[RecordHeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], RecordCrc(destination[..length]));
    }

    /// <summary>The record's length field (0 in zero-filled space); the caller checks it fits before <see cref="IsValidRecord"/>.</summary>
    public static int ReadRecordLength(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt32LittleEndian(source);

    /// <summary>True when <paramref name="record"/> (exactly one record's bytes) passes its CRC and names a known kind.</summary>
    public static bool IsValidRecord(ReadOnlySpan<byte> record)
        => record.Length >= RecordHeaderSize
           && BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) == RecordCrc(record)
           && Enum.IsDefined((JournalRecordKind)record[8]);

    public static JournalRecordKind ReadKind(ReadOnlySpan<byte> record) => (JournalRecordKind)record[8];

    public static int ReadLogId(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt32LittleEndian(record[12..]);

    public static long ReadLsn(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[16..]);

    public static long ReadEpoch(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[24..]);

    private static uint RecordCrc(ReadOnlySpan<byte> record)
        => Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.Seed, record[..4]), record[8..]));
}
