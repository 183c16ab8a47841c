using System.Buffers.Binary;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Space;

namespace Actors.Wal.Recovery;

/*
 * Recovery snapshot "index.snapshot" (Kafka's recovery point plus the index, in one file). Written by the writer
 * after each segment rotation and at clean shutdown, always as: write "index.snapshot.tmp", fsync it, rename over
 * "index.snapshot", fsync the directory. Every record before the recovery point is durable when it is written.
 * All integers little-endian.
 *
 *   offset size field
 *   0      4    Magic                 0x504E5357
 *   4      2    Version               2 (version 1 lacked LastTimestamp; such a file is ignored and the log rescanned)
 *   6      2    MinCompatibleVersion  2
 *   8      4    Flags                 bit 0: written at clean shutdown
 *   12     4    RecoveryPointSegment  segment id of the recovery point
 *   16     8    RecoveryPointOffset   byte offset in that segment: records before it are reflected below
 *   24     8    NextLsn               the next LSN to assign
 *   32     4    StreamCount
 *   36     4    SegmentCount
 *   40     8    LastTimestamp         the highest record timestamp (UTC ticks) written so far: timestamps never go back
 *   48     ...  StreamCount x 45 bytes: u64 Hash, i64 LatestPosition, i64 BasePosition, i64 Version, i64 BaseVersion,
 *               u32 ChainMinSegment, u8 Flags
 *   ...    ...  SegmentCount x { u32 SegmentId, u8 Sealed, i64 WriteOffset, i32 ItemCount,
 *                                ItemCount x { u64 Hash, i64 MaxEventVersion, i64 Bytes } }
 *   end-4  4    CRC32C of every preceding byte
 *
 * Stream ids are not stored: entries load without an id and are verified against the record on disk on first use.
 * A missing, damaged (CRC) or inconsistent snapshot is ignored and every segment is scanned instead.
 */

/// <summary>The persisted index and recovery point that let open skip scanning sealed segments.</summary>
internal sealed class RecoverySnapshot
{
    /// <summary>The snapshot file name.</summary>
    public const string FileName = "index.snapshot";

    /// <summary>The temporary file name used while writing.</summary>
    public const string TempFileName = "index.snapshot.tmp";

    private const uint Magic = 0x504E5357;
    private const ushort Version = 2;
    private const int HeaderSize = 48;
    private const int StreamSize = 45;
    private const int ItemSize = 24;
    private const int SegmentMinSize = 17;

    /// <summary>True when written at clean shutdown.</summary>
    public bool Clean { get; init; }

    /// <summary>The segment of the recovery point.</summary>
    public uint RecoveryPointSegment { get; init; }

    /// <summary>The offset of the recovery point.</summary>
    public long RecoveryPointOffset { get; init; }

    /// <summary>The next LSN.</summary>
    public long NextLsn { get; init; }

    /// <summary>The highest record timestamp written before the snapshot (UTC ticks).</summary>
    public long LastTimestamp { get; init; }

    /// <summary>The stream entries (without ids).</summary>
    public List<StreamEntry> Streams { get; init; } = [];

    /// <summary>Per segment: sealed flag, write offset, summary.</summary>
    public List<(uint Id, bool Sealed, long WriteOffset, SegmentSummary Summary)> Segments { get; init; } = [];

    /// <summary>Serializes the snapshot.</summary>
    public static byte[] Serialize(bool clean, uint rpSegment, long rpOffset, long nextLsn, long lastTimestamp, StreamIndex index, IReadOnlyCollection<(uint Id, bool Sealed, long WriteOffset, SegmentSummary Summary)> segments)
    {
        long size = HeaderSize + ((long)index.Count * StreamSize) + 4;
        foreach (var s in segments)
        {
            size += 17 + ((long)s.Summary.Count * ItemSize);
        }

        var buffer = new byte[checked((int)size)];
        Span<byte> d = buffer;
        BinaryPrimitives.WriteUInt32LittleEndian(d, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(d[6..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], clean ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], rpSegment);
        BinaryPrimitives.WriteInt64LittleEndian(d[16..], rpOffset);
        BinaryPrimitives.WriteInt64LittleEndian(d[24..], nextLsn);
        BinaryPrimitives.WriteInt32LittleEndian(d[32..], index.Count);
        BinaryPrimitives.WriteInt32LittleEndian(d[36..], segments.Count);
        BinaryPrimitives.WriteInt64LittleEndian(d[40..], lastTimestamp);
        int o = HeaderSize;
        foreach (int slot in index.OccupiedSlots())
        {
            ref readonly StreamEntry e = ref index.At(slot);
            Span<byte> s = d[o..];
            BinaryPrimitives.WriteUInt64LittleEndian(s, e.Hash);
            BinaryPrimitives.WriteInt64LittleEndian(s[8..], e.LatestPosition);
            BinaryPrimitives.WriteInt64LittleEndian(s[16..], e.BasePosition);
            BinaryPrimitives.WriteInt64LittleEndian(s[24..], e.Version);
            BinaryPrimitives.WriteInt64LittleEndian(s[32..], e.BaseVersion);
            BinaryPrimitives.WriteUInt32LittleEndian(s[40..], e.ChainMinSegment);
            s[44] = (byte)e.Flags;
            o += StreamSize;
        }

        foreach (var (id, isSealed, writeOffset, summary) in segments)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(d[o..], id);
            d[o + 4] = isSealed ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 5)..], writeOffset);
            BinaryPrimitives.WriteInt32LittleEndian(d[(o + 13)..], summary.Count);
            o += 17;
            foreach (var (hash, item) in summary.Entries())
            {
                BinaryPrimitives.WriteUInt64LittleEndian(d[o..], hash);
                BinaryPrimitives.WriteInt64LittleEndian(d[(o + 8)..], item.MaxEventVersion);
                BinaryPrimitives.WriteInt64LittleEndian(d[(o + 16)..], item.Bytes);
                o += ItemSize;
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(d[o..], Crc32C.Compute(d[..o]));
        return buffer;
    }

    /// <summary>Parses a snapshot; null (with a reason) when it is damaged or of an unknown version.</summary>
    public static RecoverySnapshot? TryParse(ReadOnlySpan<byte> data, out string? reason)
    {
        reason = null;
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

        if (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) > Version)
        {
            reason = $"written by incompatible format version {BinaryPrimitives.ReadUInt16LittleEndian(data[4..])}";
            return null;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(data[4..]) < Version)
        {
            reason = $"format version {BinaryPrimitives.ReadUInt16LittleEndian(data[4..])} does not record the last timestamp";
            return null;
        }

        int streamCount = BinaryPrimitives.ReadInt32LittleEndian(data[32..]);
        int segmentCount = BinaryPrimitives.ReadInt32LittleEndian(data[36..]);
        // Every count is bounded by what the remaining bytes can hold before anything is allocated with it: a
        // CRC-valid file with a huge count must not allocate (or fail to allocate) a list of that capacity.
        if (streamCount < 0 || segmentCount < 0
            || HeaderSize + ((long)streamCount * StreamSize) + ((long)segmentCount * SegmentMinSize) > data.Length - 4)
        {
            reason = "counts out of range";
            return null;
        }

        var streams = new List<StreamEntry>(streamCount);
        int o = HeaderSize;
        for (int i = 0; i < streamCount; i++)
        {
            ReadOnlySpan<byte> s = data[o..];
            streams.Add(new StreamEntry
            {
                Hash = BinaryPrimitives.ReadUInt64LittleEndian(s),
                LatestPosition = BinaryPrimitives.ReadInt64LittleEndian(s[8..]),
                BasePosition = BinaryPrimitives.ReadInt64LittleEndian(s[16..]),
                Version = BinaryPrimitives.ReadInt64LittleEndian(s[24..]),
                BaseVersion = BinaryPrimitives.ReadInt64LittleEndian(s[32..]),
                ChainMinSegment = BinaryPrimitives.ReadUInt32LittleEndian(s[40..]),
                Flags = s[44],
            });
            o += StreamSize;
        }

        var segments = new List<(uint, bool, long, SegmentSummary)>(segmentCount);
        for (int i = 0; i < segmentCount; i++)
        {
            if (o + 17 > data.Length - 4)
            {
                reason = "segment table cut off";
                return null;
            }

            uint id = BinaryPrimitives.ReadUInt32LittleEndian(data[o..]);
            bool isSealed = data[o + 4] != 0;
            long writeOffset = BinaryPrimitives.ReadInt64LittleEndian(data[(o + 5)..]);
            int items = BinaryPrimitives.ReadInt32LittleEndian(data[(o + 13)..]);
            o += 17;
            if (items < 0 || o + ((long)items * ItemSize) > data.Length - 4)
            {
                reason = "segment summary cut off";
                return null;
            }

            var summary = new SegmentSummary();
            for (int j = 0; j < items; j++)
            {
                summary.Add(BinaryPrimitives.ReadUInt64LittleEndian(data[o..]), BinaryPrimitives.ReadInt64LittleEndian(data[(o + 8)..]), BinaryPrimitives.ReadInt64LittleEndian(data[(o + 16)..]));
                o += ItemSize;
            }

            if (isSealed)
            {
                summary.Freeze();
            }

            segments.Add((id, isSealed, writeOffset, summary));
        }

        if (o != data.Length - 4)
        {
            reason = "trailing bytes";
            return null;
        }

        return new RecoverySnapshot
        {
            Clean = (BinaryPrimitives.ReadUInt32LittleEndian(data[8..]) & 1) != 0,
            RecoveryPointSegment = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]),
            RecoveryPointOffset = BinaryPrimitives.ReadInt64LittleEndian(data[16..]),
            NextLsn = BinaryPrimitives.ReadInt64LittleEndian(data[24..]),
            LastTimestamp = BinaryPrimitives.ReadInt64LittleEndian(data[40..]),
            Streams = streams,
            Segments = segments,
        };
    }

    /// <summary>Reads a whole file into an array (snapshots are read once at open).</summary>
    public static byte[] ReadAll(IO.IWalFile file)
    {
        long length = file.Length;
        if (length > int.MaxValue)
        {
            return [];
        }

        byte[] data = new byte[length];
        int n = file.Read(0, data);
        return n == data.Length ? data : data[..n];
    }
}
