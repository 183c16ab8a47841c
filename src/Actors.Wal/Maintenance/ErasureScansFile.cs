using System.Buffers.Binary;
using Actors.Wal.Format;
using Actors.Wal.IO;

namespace Actors.Wal.Maintenance;

/*
 * Pending erasure scans "erasure.scans": the erases and checkpoint deletions whose left-behind copies a space pass has
 * not searched for yet (ErasureScan). Rewritten whole (MetadataFileEnvelope.Replace): by an erase before it writes its
 * copy (so a crash after the copy still finds the scan pending), and by the space pass that searched every segment and
 * made its marks durable in the manifest (then the scans it did are dropped; an empty list deletes the file).
 * Envelope magic 0x53524557, format version 1; after the envelope's 8 bytes: u32 ScanCount, then ScanCount x
 * { u16 IdLength | IdLength bytes UTF-8 stream id | i64 EraseToVersion | i64 KeptCheckpointVersion | u8 SelectsCheckpoints
 * | i64 MinVersion | i64 MaxVersion | i64 MinTimestampTicks | i64 MaxTimestampTicks } (the four criteria fields are zero
 * unless SelectsCheckpoints is 1; a timestamp bound of long.MinValue / long.MaxValue means "any").
 */

/// <summary>Reads and writes the pending erasure scans file (layout above).</summary>
internal static class ErasureScansFile
{
    /// <summary>The file name in the log directory.</summary>
    public const string FileName = "erasure.scans";

    private const int HeaderSize = 12;
    private const int FixedEntrySize = 2 + 8 + 8 + 1 + (4 * 8);

    /// <summary>The file's kind: name, envelope, version 1.</summary>
    internal static readonly MetadataFileEnvelope Envelope = new(FileName, 0x53524557, 1, HeaderSize);

    /// <summary>Writes <paramref name="scans"/> durably (an empty list deletes the file).</summary>
    public static void Write(IFileSystem fileSystem, string directory, IReadOnlyList<ErasureScan> scans)
    {
        if (scans.Count == 0)
        {
            fileSystem.DeleteFile(Path.Combine(directory, FileName));
            fileSystem.SyncDirectory(directory);
            return;
        }

        Envelope.Replace(fileSystem, directory, Serialize(scans));
    }

    /// <summary>Serializes <paramref name="scans"/>.</summary>
    public static byte[] Serialize(IReadOnlyList<ErasureScan> scans)
    {
        byte[] data = Envelope.Create(scans.Sum(s => FixedEntrySize + s.Id.Length));
        Span<byte> d = data;
        BinaryPrimitives.WriteInt32LittleEndian(d[8..], scans.Count);
        int o = HeaderSize;
        foreach (var scan in scans)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(d[o..], checked((ushort)scan.Id.Length));
            scan.Id.CopyTo(d[(o + 2)..]);
            o += 2 + scan.Id.Length;
            BinaryPrimitives.WriteInt64LittleEndian(d[o..], scan.EraseToVersion);
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 8)..], scan.KeptCheckpointVersion);
            var criteria = scan.Checkpoints;
            d[o + 16] = criteria is null ? (byte)0 : (byte)1;
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 17)..], criteria?.MinVersion ?? 0);
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 25)..], criteria?.MaxVersion ?? 0);
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 33)..], criteria is null ? 0 : criteria.MinTimestamp?.UtcTicks ?? long.MinValue);
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 41)..], criteria is null ? 0 : criteria.MaxTimestamp?.UtcTicks ?? long.MaxValue);
            o += FixedEntrySize - 2;
        }

        return MetadataFileEnvelope.Seal(data);
    }

    /// <summary>
    /// The scans stored in <paramref name="directory"/>: none when the file is missing; null with <paramref name="note"/>
    /// saying why when it is damaged (the caller then cannot tell which streams were erased, and marks every segment).
    /// </summary>
    /// <exception cref="UnsupportedFormatVersionException">The file needs a newer reader.</exception>
    public static List<ErasureScan>? Load(IFileSystem fileSystem, string directory, out string? note)
    {
        if (!Envelope.TryLoad(fileSystem, directory, TryParse, out var scans, out string? damage))
        {
            note = null;
            return [];
        }

        note = scans is null ? $"{Envelope.PathIn(directory)}: {damage}; every segment is compacted instead, so that no copy of an erased record outlives its erase." : null;
        return scans;
    }

    /// <summary>Parses the file; null with a reason when damaged (<paramref name="minVersion"/> set when it needs a newer reader).</summary>
    public static List<ErasureScan>? TryParse(ReadOnlySpan<byte> data, out string? reason, out ushort version, out ushort minVersion)
    {
        if (!Envelope.TryOpen(data, out version, out minVersion, out reason))
        {
            return null;
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        ReadOnlySpan<byte> rest = data[HeaderSize..^4];
        var scans = new List<ErasureScan>(Math.Clamp(count, 0, 1024));
        for (int i = 0; i < count; i++)
        {
            if (rest.Length < 2 || rest.Length < FixedEntrySize + BinaryPrimitives.ReadUInt16LittleEndian(rest))
            {
                reason = $"scan {i} of {count} is truncated";
                return null;
            }

            int length = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            byte[] id = rest.Slice(2, length).ToArray();
            rest = rest[(2 + length)..];
            CheckpointSelectionCriteria? criteria = rest[16] == 0 ? null : new CheckpointSelectionCriteria(
                MaxVersion: BinaryPrimitives.ReadInt64LittleEndian(rest[25..]),
                MaxTimestamp: Ticks(BinaryPrimitives.ReadInt64LittleEndian(rest[41..]), long.MaxValue),
                MinVersion: BinaryPrimitives.ReadInt64LittleEndian(rest[17..]),
                MinTimestamp: Ticks(BinaryPrimitives.ReadInt64LittleEndian(rest[33..]), long.MinValue));
            scans.Add(new ErasureScan(id, BinaryPrimitives.ReadInt64LittleEndian(rest), BinaryPrimitives.ReadInt64LittleEndian(rest[8..]), criteria));
            rest = rest[(FixedEntrySize - 2)..];
        }

        if (count < 0 || !rest.IsEmpty)
        {
            reason = "scan count does not match the file's length";
            return null;
        }

        return scans;
    }

    private static DateTimeOffset? Ticks(long ticks, long any) => ticks == any ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
