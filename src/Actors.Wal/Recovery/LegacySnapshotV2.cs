using System.Buffers.Binary;
using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Recovery;

/*
 * index.snapshot format version 2, written by format-v1 engines (until engine v2). Read and converted so that logs
 * of that engine open without a full scan. All integers little-endian.
 *
 *   offset size field
 *   0      48   header as in version 3 (Version = MinCompatibleVersion = 2)
 *   48     45 each  streams: u64 Hash, i64 LatestPosition, i64 BasePosition, i64 Version, i64 BaseVersion,
 *                   u32 ChainMinSegment, u8 Flags (1 deleted, 2 base is a tombstone)
 *   ...    ...  segments: u32 SegmentId, u8 Sealed, i64 WriteOffset, i32 ItemCount,
 *               ItemCount x { u64 Hash, i64 MaxEventVersion, i64 Bytes }   (the stream hashes with records there)
 *   end-4  4    CRC32C of every preceding byte
 *
 * Conversion: a stream's live runs are the bytes of every segment item with its hash in segments at or after its
 * ChainMinSegment (the old engine kept nothing older). That counts a little more as live than the old rule did (events
 * below a checkpoint in the same chain, and colliding hashes counted for both streams): conservative, it can only keep
 * data longer, until the stream's next checkpoint, deletion or relocation ends the runs.
 */

/// <summary>Reads and converts a format-version-2 <c>index.snapshot</c>.</summary>
internal static class LegacySnapshotV2
{
    /// <summary>The format version.</summary>
    public const ushort Version = 2;

    private const int StreamSize = 45;
    private const int ItemSize = 24;
    private const int SegmentMinSize = 17;

    /// <summary>Parses and converts a version-2 snapshot whose magic, CRC and version were checked.</summary>
    public static RecoverySnapshot? TryParse(ReadOnlySpan<byte> data, out string? reason)
    {
        reason = null;
        int streamCount = BinaryPrimitives.ReadInt32LittleEndian(data[32..]);
        int segmentCount = BinaryPrimitives.ReadInt32LittleEndian(data[36..]);
        if (streamCount < 0 || segmentCount < 0
            || RecoverySnapshot.HeaderSize + ((long)streamCount * StreamSize) + ((long)segmentCount * SegmentMinSize) > data.Length - 4)
        {
            reason = "counts out of range";
            return null;
        }

        var old = new List<(StreamEntry Entry, long BasePosition, uint ChainMin)>(streamCount);
        int o = RecoverySnapshot.HeaderSize;
        for (int i = 0; i < streamCount; i++, o += StreamSize)
        {
            ReadOnlySpan<byte> s = data[o..];
            long basePosition = BinaryPrimitives.ReadInt64LittleEndian(s[16..]);
            uint flags = (uint)(s[44] & 3) | (basePosition != LogPosition.None ? StreamEntry.HasBaseFlag : 0);
            var entry = new StreamEntry
            {
                Hash = BinaryPrimitives.ReadUInt64LittleEndian(s),
                LatestPosition = BinaryPrimitives.ReadInt64LittleEndian(s[8..]),
                Version = BinaryPrimitives.ReadInt64LittleEndian(s[24..]),
                BaseVersion = BinaryPrimitives.ReadInt64LittleEndian(s[32..]),
                Flags = flags,
            };
            old.Add((entry, basePosition, BinaryPrimitives.ReadUInt32LittleEndian(s[40..])));
        }

        var segments = new List<(uint, bool, long)>(segmentCount);
        var bytesByHash = new Dictionary<ulong, List<(uint Segment, long Bytes)>>();
        for (int i = 0; i < segmentCount; i++)
        {
            if (o + SegmentMinSize > data.Length - 4)
            {
                reason = "segment table cut off";
                return null;
            }

            uint id = BinaryPrimitives.ReadUInt32LittleEndian(data[o..]);
            bool isSealed = data[o + 4] != 0;
            long writeOffset = BinaryPrimitives.ReadInt64LittleEndian(data[(o + 5)..]);
            int items = BinaryPrimitives.ReadInt32LittleEndian(data[(o + 13)..]);
            o += SegmentMinSize;
            if (items < 0 || o + ((long)items * ItemSize) > data.Length - 4)
            {
                reason = "segment summary cut off";
                return null;
            }

            for (int j = 0; j < items; j++, o += ItemSize)
            {
                ulong hash = BinaryPrimitives.ReadUInt64LittleEndian(data[o..]);
                long bytes = BinaryPrimitives.ReadInt64LittleEndian(data[(o + 16)..]);
                if (bytes is < 0 or > uint.MaxValue)
                {
                    reason = "segment summary bytes out of range";
                    return null;
                }

                if (!bytesByHash.TryGetValue(hash, out var list))
                {
                    bytesByHash[hash] = list = [];
                }

                list.Add((id, bytes));
            }

            segments.Add((id, isSealed, writeOffset));
        }

        if (o != data.Length - 4)
        {
            reason = "trailing bytes";
            return null;
        }

        var streams = new List<StreamEntry>(streamCount);
        foreach (var (e, _, chainMin) in old)
        {
            var entry = e;
            if (bytesByHash.TryGetValue(entry.Hash, out var footprint))
            {
                var runs = footprint.Where(f => f.Segment >= chainMin).OrderBy(f => f.Segment).ToList();
                uint latest = entry.LatestSegment;
                entry.LatestRunBytes = (uint)runs.Where(r => r.Segment == latest).Sum(r => r.Bytes);
                var older = runs.Where(r => r.Segment != latest).Select(r => new SegmentRun(r.Segment, (uint)r.Bytes)).ToArray();
                entry.OlderRuns = older.Length > 0 ? older : null;
            }

            streams.Add(entry);
        }

        return new RecoverySnapshot
        {
            Version = Version,
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
