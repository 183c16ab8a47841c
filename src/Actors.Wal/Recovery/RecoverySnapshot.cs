using System.Buffers.Binary;
using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Recovery;

/*
 * Recovery snapshot "index.snapshot" (Kafka's recovery point plus the index, in one file). Written whole
 * (MetadataFileEnvelope.Replace) after segment rotations, before dead segments it does not cover are deleted, and at
 * clean shutdown; with many streams a rotation may write a delta instead (index.delta, RecoverySnapshotDelta), which
 * uses this file's fields and tables. Every
 * record before the recovery point is durable when it is written. Envelope magic 0x504E5357, format version 4
 * (minimum compatible 4; version 3 has the same layout and is read, but its readers know no index.delta, so they must
 * not use a version 4 file); after the envelope's 8 bytes:
 *
 *   offset size field
 *   8      4    Flags                 bit 0: written at clean shutdown
 *   12     4    RecoveryPointSegment  segment id of the recovery point
 *   16     8    RecoveryPointOffset   byte offset in that segment: records before it are reflected below
 *   24     8    NextLsn               the next LSN to assign
 *   32     4    StreamCount
 *   36     4    SegmentCount
 *   40     8    LastTimestamp         the highest record timestamp (UTC ticks) written so far: timestamps never go back
 *   48     ...  StreamCount x { u64 Hash, i64 LatestPosition, i64 Version, i64 BaseVersion, u32 LatestRunBytes,
 *                               u8 Flags (1 deleted, 2 base is a tombstone, 4 has a base), u16 OlderRunCount,
 *                               OlderRunCount x { u32 SegmentId, u32 Bytes } }          (39 + 8 x runs bytes each)
 *   ...    ...  SegmentCount x { u32 SegmentId, u8 Sealed, i64 WriteOffset }
 *   end-4  4    CRC32C of every preceding byte
 *
 * Stream ids are not stored: entries load without an id and are verified against the record on disk on first use.
 * The runs are each stream's live bytes per segment (see StreamEntry); the segments' live bytes are their sums.
 * The in-memory flags (the stream's retention decision, StreamEntry.DecideRetention) are not stored: an entry loaded
 * here decides again from its id when it is first used, with the same answer (StreamRetention is deterministic).
 * An entry may reflect records after the recovery point (a snapshot taken while the index changes): recovery applies
 * a scanned record only when it lies after the entry's latest position, which makes replaying such records a no-op.
 * Version 2 (format-v1 engines, LegacySnapshotV2) is read and converted; anything else is ignored (full scan).
 * A missing, damaged (CRC) or inconsistent snapshot is ignored and every segment is scanned instead.
 */

/// <summary>The persisted index and recovery point that let open skip scanning sealed segments.</summary>
internal sealed class RecoverySnapshot
{
    /// <summary>The snapshot file name.</summary>
    public const string FileName = "index.snapshot";

    /// <summary>
    /// The format version this build writes: 4, the layout of 3, whose readers would use the file without the
    /// <c>index.delta</c> that may extend it (4 is its minimum compatible version, so they scan every segment instead).
    /// </summary>
    public const ushort CurrentVersion = 4;

    /// <summary>The oldest version read as it is (3: the same layout; 2 is converted, <see cref="LegacySnapshotV2"/>).</summary>
    private const ushort OldestSameLayout = 3;

    internal const int HeaderSize = 48;
    private const int StreamFixedSize = 39;
    private const int RunSize = 8;
    private const int SegmentSize = 13;

    /// <summary>The file's kind: name, envelope, version.</summary>
    internal static readonly MetadataFileEnvelope Envelope = new(FileName, 0x504E5357, CurrentVersion, HeaderSize);

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

    /// <summary>The format version of the file read (<see cref="CurrentVersion"/> or 2).</summary>
    public ushort Version { get; init; } = CurrentVersion;

    /// <summary>The stream entries (without ids), with their live runs.</summary>
    public List<StreamEntry> Streams { get; init; } = [];

    /// <summary>Per segment: sealed flag and write offset (the end of its records when the snapshot was written).</summary>
    public List<(uint Id, bool Sealed, long WriteOffset)> Segments { get; init; } = [];

    /// <summary>Serializes a snapshot of <paramref name="entries"/> (read twice: to size the file, then to write it).</summary>
    public static byte[] Serialize(bool clean, uint rpSegment, long rpOffset, long nextLsn, long lastTimestamp, IReadOnlyList<StreamEntry> entries, IReadOnlyCollection<(uint Id, bool Sealed, long WriteOffset)> segments)
        => MetadataFileEnvelope.Seal(Compose(Envelope, HeaderSize, clean, rpSegment, rpOffset, nextLsn, lastTimestamp, entries, segments));

    /// <summary>
    /// The file's bytes without the CRC (the caller fills any fields between offset 48 and <paramref name="headerSize"/>,
    /// then seals): the fields from offset 8 to 48, the stream table from <paramref name="headerSize"/>, the segment table.
    /// </summary>
    internal static byte[] Compose(MetadataFileEnvelope envelope, int headerSize, bool clean, uint rpSegment, long rpOffset, long nextLsn, long lastTimestamp, IReadOnlyList<StreamEntry> entries, IReadOnlyCollection<(uint Id, bool Sealed, long WriteOffset)> segments)
    {
        long size = (long)segments.Count * SegmentSize;
        for (int i = 0; i < entries.Count; i++)
        {
            size += StreamFixedSize + ((long)(entries[i].OlderRuns?.Length ?? 0) * RunSize);
        }

        var buffer = envelope.Create(size);
        Span<byte> d = buffer;
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], clean ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], rpSegment);
        BinaryPrimitives.WriteInt64LittleEndian(d[16..], rpOffset);
        BinaryPrimitives.WriteInt64LittleEndian(d[24..], nextLsn);
        BinaryPrimitives.WriteInt32LittleEndian(d[32..], entries.Count);
        BinaryPrimitives.WriteInt32LittleEndian(d[36..], segments.Count);
        BinaryPrimitives.WriteInt64LittleEndian(d[40..], lastTimestamp);
        int o = headerSize;
        for (int i = 0; i < entries.Count; i++)
        {
            StreamEntry e = entries[i];
            Span<byte> s = d[o..];
            var older = e.OlderRuns ?? [];
            BinaryPrimitives.WriteUInt64LittleEndian(s, e.Hash);
            BinaryPrimitives.WriteInt64LittleEndian(s[8..], e.LatestPosition);
            BinaryPrimitives.WriteInt64LittleEndian(s[16..], e.Version);
            BinaryPrimitives.WriteInt64LittleEndian(s[24..], e.BaseVersion);
            BinaryPrimitives.WriteUInt32LittleEndian(s[32..], e.LatestRunBytes);
            s[36] = (byte)(e.Flags & (StreamEntry.DeletedFlag | StreamEntry.BaseIsTombstoneFlag | StreamEntry.HasBaseFlag));
            BinaryPrimitives.WriteUInt16LittleEndian(s[37..], checked((ushort)older.Length));
            o += StreamFixedSize;
            foreach (var run in older)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(d[o..], run.SegmentId);
                BinaryPrimitives.WriteUInt32LittleEndian(d[(o + 4)..], run.Bytes);
                o += RunSize;
            }
        }

        foreach (var (id, isSealed, writeOffset) in segments)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(d[o..], id);
            d[o + 4] = isSealed ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 5)..], writeOffset);
            o += SegmentSize;
        }

        return buffer;
    }

    /// <summary>Parses a snapshot; null (with a reason) when it is damaged or of an unknown version.</summary>
    public static RecoverySnapshot? TryParse(ReadOnlySpan<byte> data, out string? reason)
    {
        if (!Envelope.TryOpen(data, out ushort version, out _, out reason))
        {
            return null;
        }

        if (version == LegacySnapshotV2.Version)
        {
            return LegacySnapshotV2.TryParse(data, out reason);
        }

        if (version < OldestSameLayout)
        {
            reason = $"format version {version} is too old to be used (it does not record the last timestamp)";
            return null;
        }

        return ParseBody(data, HeaderSize, out reason);
    }

    /// <summary>
    /// Parses the fields from offset 8 to 48, the stream table from <paramref name="headerSize"/> and the segment table of a
    /// file whose envelope and checksum were checked; null with a reason when they are inconsistent.
    /// </summary>
    internal static RecoverySnapshot? ParseBody(ReadOnlySpan<byte> data, int headerSize, out string? reason)
    {
        int streamCount = BinaryPrimitives.ReadInt32LittleEndian(data[32..]);
        int segmentCount = BinaryPrimitives.ReadInt32LittleEndian(data[36..]);
        // Every count is bounded by what the remaining bytes can hold before anything is allocated with it: a
        // CRC-valid file with a huge count must not allocate (or fail to allocate) a list of that capacity.
        if (streamCount < 0 || segmentCount < 0
            || headerSize + ((long)streamCount * StreamFixedSize) + ((long)segmentCount * SegmentSize) > data.Length - 4)
        {
            reason = "counts out of range";
            return null;
        }

        var streams = new List<StreamEntry>(streamCount);
        int o = headerSize;
        int end = data.Length - 4;
        for (int i = 0; i < streamCount; i++)
        {
            if (o + StreamFixedSize > end)
            {
                reason = "stream table cut off";
                return null;
            }

            ReadOnlySpan<byte> s = data[o..];
            int runs = BinaryPrimitives.ReadUInt16LittleEndian(s[37..]);
            o += StreamFixedSize;
            if (o + ((long)runs * RunSize) > end)
            {
                reason = "stream runs cut off";
                return null;
            }

            SegmentRun[]? older = null;
            if (runs > 0)
            {
                older = new SegmentRun[runs];
                for (int r = 0; r < runs; r++, o += RunSize)
                {
                    older[r] = new SegmentRun(BinaryPrimitives.ReadUInt32LittleEndian(data[o..]), BinaryPrimitives.ReadUInt32LittleEndian(data[(o + 4)..]));
                }
            }

            streams.Add(new StreamEntry
            {
                Hash = BinaryPrimitives.ReadUInt64LittleEndian(s),
                LatestPosition = BinaryPrimitives.ReadInt64LittleEndian(s[8..]),
                Version = BinaryPrimitives.ReadInt64LittleEndian(s[16..]),
                BaseVersion = BinaryPrimitives.ReadInt64LittleEndian(s[24..]),
                LatestRunBytes = BinaryPrimitives.ReadUInt32LittleEndian(s[32..]),
                Flags = (uint)(s[36] & (StreamEntry.DeletedFlag | StreamEntry.BaseIsTombstoneFlag | StreamEntry.HasBaseFlag)),
                OlderRuns = older,
            });
        }

        if (o + ((long)segmentCount * SegmentSize) != end)
        {
            reason = "the segment table does not end where the file does";
            return null;
        }

        var segments = new List<(uint, bool, long)>(segmentCount);
        for (int i = 0; i < segmentCount; i++, o += SegmentSize)
        {
            segments.Add((BinaryPrimitives.ReadUInt32LittleEndian(data[o..]), data[o + 4] != 0, BinaryPrimitives.ReadInt64LittleEndian(data[(o + 5)..])));
        }

        reason = null;
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
}
