using System.Buffers.Binary;
using Actors.Checksums;

namespace Actors.Wal.Entries;

/*
 * Entry log files (one directory per log). All integers little-endian.
 *
 * Segment file "{FirstLsn:D20}.entries": a 32-byte header, then records back to back without padding.
 *
 *   offset size field
 *   0      8    Magic                 "ACTENTLG"
 *   8      2    Version               1
 *   10     2    MinCompatibleVersion  1
 *   12     4    Reserved              0
 *   16     8    FirstLsn              LSN of the segment's first record (the previous segment's last LSN + 1)
 *   24     4    Reserved              0
 *   28     4    Crc                   CRC32C over bytes [0, 28)
 *
 * Record (one entry):
 *
 *   offset size field
 *   0      4    Length   total bytes of the record, this header included (>= 24)
 *   4      4    Crc      CRC32C over bytes [0, 4) followed by bytes [8, Length): covers the length too
 *   8      8    Lsn      the entry's LSN: the previous record's LSN + 1 (the segment's FirstLsn for its first record)
 *   16     8    Epoch    the epoch of the leader that appended the entry; never decreases along the log
 *   24     n    Payload  opaque bytes, n = Length - 24
 *
 * A record is all-or-nothing across a crash: a torn one fails its CRC (or its length runs past the file's end).
 *
 * Epoch file "epoch": 24 bytes, replaced atomically (write temp, fsync, rename, fsync directory).
 *
 *   0      8    Magic    "ACTEPOCH"
 *   8      2    Version  1
 *   10     2    Reserved 0
 *   12     8    Epoch    the last epoch the owner entered
 *   20     4    Crc      CRC32C over bytes [0, 20)
 *
 * Checkpoint file "checkpoint" (absent: the log starts at LSN 1): replaced atomically like the epoch file. It holds the
 * owner's materialized state after entries 1..Lsn; entries up to Lsn may then be deleted (whole segments).
 *
 *   0      8    Magic                 "ACTCKPNT"
 *   8      2    Version               1
 *   10     2    MinCompatibleVersion  1
 *   12     4    StateLength           n
 *   16     8    Lsn                   the last entry the state includes (>= 1)
 *   24     8    Epoch                 the epoch of entry Lsn
 *   32     n    State                 opaque bytes (the owner's)
 *   32+n   4    Crc                   CRC32C over bytes [0, 32+n)
 *
 * Marker file "journaled" (empty): the directory belongs to a log of an entry journal (Journal/EntryJournalFormat.cs),
 * whose entries are records of the journal; an EntryLog refuses to open it (its entries would look missing).
 *
 * Install file "checkpoint.install": the same layout. Written (atomically) to start replacing the whole log by a
 * checkpoint taken from elsewhere; its presence means "every segment is obsolete": recovery finishes the install
 * (deletes every segment, renames it to "checkpoint"). See the decision tree in EntryLog.Recovery.cs.
 */

/// <summary>Encodes and decodes the entry log's segment headers, records and epoch file (layout above).</summary>
internal static class EntryLogFormat
{
    public const int Version = 1;
    public const int SegmentHeaderSize = 32;
    public const int RecordHeaderSize = 24;
    public const int EpochFileSize = 24;
    public const string SegmentSuffix = ".entries";
    public const string EpochFileName = "epoch";
    public const string EpochTempFileName = "epoch.tmp";
    public const string LockFileName = "LOCK";
    public const string CheckpointFileName = "checkpoint";
    public const string CheckpointTempFileName = "checkpoint.tmp";
    public const string InstallFileName = "checkpoint.install";
    public const string InstallTempFileName = "checkpoint.install.tmp";
    public const int CheckpointHeaderSize = 32;

    /// <summary>Present (empty) in the directory of a log whose entries live in an entry journal: an <see cref="EntryLog"/> refuses it.</summary>
    public const string JournaledMarkerFileName = "journaled";

    private const ulong SegmentMagic = 0x474C544E45544341; // "ACTENTLG" read little-endian
    private const ulong EpochMagic = 0x48434F5045544341; // "ACTEPOCH" read little-endian
    private const ulong CheckpointMagic = 0x544E504B43544341; // "ACTCKPNT" read little-endian

    public static string SegmentFileName(long firstLsn) => $"{firstLsn:D20}{SegmentSuffix}";

    public static void WriteSegmentHeader(Span<byte> destination, long firstLsn) => EntrySegmentHeader.Write(destination, SegmentMagic, Version, firstLsn);

    /// <summary>Reads a segment header; null when it is short, not one, or fails its CRC (a torn creation when the segment is the last).</summary>
    /// <exception cref="UnsupportedFormatVersionException">A valid header of a version this build cannot read.</exception>
    public static long? TryReadSegmentHeader(ReadOnlySpan<byte> source, string path) => EntrySegmentHeader.TryRead(source, SegmentMagic, Version, path);

    public static int RecordSize(int payloadLength) => RecordHeaderSize + payloadLength;

    public static void WriteRecord(Span<byte> destination, long lsn, long epoch, ReadOnlySpan<byte> payload)
    {
        int length = RecordSize(payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(destination, length);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], lsn);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], epoch);
        payload.CopyTo(destination[RecordHeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], RecordCrc(destination[..length]));
    }

    /// <summary>The record's length field (0 when the bytes are zero-filled space); the caller checks it fits before <see cref="IsValidRecord"/>.</summary>
    public static int ReadRecordLength(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt32LittleEndian(source);

    /// <summary>True when <paramref name="record"/> (exactly one record's bytes) passes its CRC.</summary>
    public static bool IsValidRecord(ReadOnlySpan<byte> record)
        => record.Length >= RecordHeaderSize && BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) == RecordCrc(record);

    public static long ReadLsn(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[8..]);

    public static long ReadEpoch(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[16..]);

    public static byte[] FormatEpochFile(long epoch)
    {
        var data = new byte[EpochFileSize];
        BinaryPrimitives.WriteUInt64LittleEndian(data, EpochMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8), Version);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(12), epoch);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(20), Crc32C.Compute(data.AsSpan(0, 20)));
        return data;
    }

    /// <summary>Parses the epoch file; null when it is not a valid one (it is replaced atomically, so that is damage).</summary>
    public static long? TryReadEpochFile(ReadOnlySpan<byte> source)
    {
        if (source.Length != EpochFileSize
            || BinaryPrimitives.ReadUInt64LittleEndian(source) != EpochMagic
            || BinaryPrimitives.ReadUInt32LittleEndian(source[20..]) != Crc32C.Compute(source[..20]))
        {
            return null;
        }

        return BinaryPrimitives.ReadInt64LittleEndian(source[12..]);
    }

    public static byte[] FormatCheckpointFile(EntryLogCheckpoint checkpoint)
    {
        var length = checked(CheckpointHeaderSize + checkpoint.State.Length + 4);
        var data = new byte[length];
        BinaryPrimitives.WriteUInt64LittleEndian(data, CheckpointMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(10), Version);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(12), checkpoint.State.Length);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(16), checkpoint.Lsn);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(24), checkpoint.Epoch);
        checkpoint.State.Span.CopyTo(data.AsSpan(CheckpointHeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(length - 4), Crc32C.Compute(data.AsSpan(0, length - 4)));
        return data;
    }

    /// <summary>Parses a checkpoint or install file; null when it is not a valid one (both are replaced atomically, so that is damage).</summary>
    /// <exception cref="UnsupportedFormatVersionException">A valid file of a version this build cannot read.</exception>
    public static EntryLogCheckpoint? TryReadCheckpointFile(ReadOnlySpan<byte> source, string path)
    {
        if (source.Length < CheckpointHeaderSize + 4 || BinaryPrimitives.ReadUInt64LittleEndian(source) != CheckpointMagic)
        {
            return null;
        }

        var stateLength = BinaryPrimitives.ReadInt32LittleEndian(source[12..]);
        if (stateLength < 0 || stateLength != source.Length - CheckpointHeaderSize - 4
            || BinaryPrimitives.ReadUInt32LittleEndian(source[^4..]) != Crc32C.Compute(source[..^4]))
        {
            return null;
        }

        int version = BinaryPrimitives.ReadUInt16LittleEndian(source[8..]);
        int minCompatible = BinaryPrimitives.ReadUInt16LittleEndian(source[10..]);
        if (minCompatible > Version)
        {
            throw new UnsupportedFormatVersionException(path, version, minCompatible, Version);
        }

        var lsn = BinaryPrimitives.ReadInt64LittleEndian(source[16..]);
        var epoch = BinaryPrimitives.ReadInt64LittleEndian(source[24..]);
        return lsn < 1 || epoch < 0
            ? null
            : new EntryLogCheckpoint(lsn, epoch, source.Slice(CheckpointHeaderSize, stateLength).ToArray());
    }

    private static uint RecordCrc(ReadOnlySpan<byte> record)
        => Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.Seed, record[..4]), record[8..]));
}
