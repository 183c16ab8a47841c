using System.Buffers.Binary;
using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Recovery;

/*
 * Recovery snapshot delta "index.delta": the index entries changed since the full snapshot (index.snapshot) it extends,
 * written instead of the whole index when the index is large and few of its streams changed since that snapshot
 * (WriteAheadLogOptions.SnapshotDeltaMinStreams; Maintenance/SnapshotWriter decides). Written whole (MetadataFileEnvelope.Replace), like the full snapshot;
 * every delta since a full snapshot holds every change since it (cumulative), so only the newest one is kept. Envelope
 * magic 0x4C444E57, format version 1 (minimum compatible 1); after the envelope's 8 bytes:
 *
 *   offset size field
 *   8      40   the fields of index.snapshot at the same offsets (flags, recovery point, next LSN, counts, last timestamp):
 *               the state of the log when the delta was taken, as a full snapshot taken then would state it
 *   48     4    BaseCrc               the CRC32C (last 4 bytes) of the index.snapshot it extends
 *   52     4    reserved (0)
 *   56     8    BaseLength            that file's length in bytes
 *   64     ...  the stream table and the segment table of index.snapshot's format; the stream table holds, for every
 *               hash of a stream changed since the full snapshot, every entry the index held with that hash
 *   end-4  4    CRC32C of every preceding byte
 *
 * The snapshot it stands for: the full snapshot's entries whose hash is not in the delta, the delta's entries, and the
 * delta's fields and segment table. Replacing whole hash groups needs no stream id (entries carry none). A delta that
 * names another full snapshot is stale (a crash came after a newer full snapshot was renamed into place and before the
 * delta was deleted) and is ignored; a damaged one makes recovery ignore both files and scan every segment.
 */

/// <summary>The format of <c>index.delta</c>, and the merge of a delta into the full snapshot it extends.</summary>
internal static class RecoverySnapshotDelta
{
    /// <summary>The delta file name.</summary>
    public const string FileName = "index.delta";

    /// <summary>The format version this build writes.</summary>
    public const ushort CurrentVersion = 1;

    private const int HeaderSize = 64;

    /// <summary>The file's kind: name, envelope, version.</summary>
    internal static readonly MetadataFileEnvelope Envelope = new(FileName, 0x4C444E57, CurrentVersion, HeaderSize);

    /// <summary>The identity of a full snapshot file: the CRC32C in its last 4 bytes and its length.</summary>
    public static (uint Crc, long Length) IdentityOf(ReadOnlySpan<byte> fullSnapshot)
        => (fullSnapshot.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(fullSnapshot[^4..]) : 0u, fullSnapshot.Length);

    /// <summary>Serializes a delta of <paramref name="entries"/> (complete hash groups) extending the full snapshot <paramref name="baseIdentity"/>.</summary>
    public static byte[] Serialize((uint Crc, long Length) baseIdentity, bool clean, uint rpSegment, long rpOffset, long nextLsn, long lastTimestamp, IReadOnlyList<StreamEntry> entries, IReadOnlyCollection<(uint Id, bool Sealed, long WriteOffset)> segments)
    {
        byte[] data = RecoverySnapshot.Compose(Envelope, HeaderSize, clean, rpSegment, rpOffset, nextLsn, lastTimestamp, entries, segments);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(48), baseIdentity.Crc);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(56), baseIdentity.Length);
        return MetadataFileEnvelope.Seal(data);
    }

    /// <summary>Parses a delta and the identity of the full snapshot it extends; null (with a reason) when it is damaged or of an unknown version.</summary>
    public static RecoverySnapshot? TryParse(ReadOnlySpan<byte> data, out (uint Crc, long Length) baseIdentity, out string? reason)
    {
        baseIdentity = default;
        if (!Envelope.TryOpen(data, out _, out _, out reason))
        {
            return null;
        }

        baseIdentity = (BinaryPrimitives.ReadUInt32LittleEndian(data[48..]), BinaryPrimitives.ReadInt64LittleEndian(data[56..]));
        return RecoverySnapshot.ParseBody(data, HeaderSize, out reason);
    }

    /// <summary>
    /// The snapshot <paramref name="delta"/> stands for: <paramref name="full"/>'s entries whose hash the delta does not
    /// hold, the delta's entries, and the delta's fields and segment table.
    /// </summary>
    public static RecoverySnapshot Merge(RecoverySnapshot full, RecoverySnapshot delta)
    {
        var replaced = new HashSet<ulong>(delta.Streams.Count);
        foreach (var entry in delta.Streams)
        {
            replaced.Add(entry.Hash);
        }

        var streams = new List<StreamEntry>(full.Streams.Count + delta.Streams.Count);
        foreach (var entry in full.Streams)
        {
            if (!replaced.Contains(entry.Hash))
            {
                streams.Add(entry);
            }
        }

        streams.AddRange(delta.Streams);
        return new RecoverySnapshot
        {
            Clean = delta.Clean,
            RecoveryPointSegment = delta.RecoveryPointSegment,
            RecoveryPointOffset = delta.RecoveryPointOffset,
            NextLsn = delta.NextLsn,
            LastTimestamp = delta.LastTimestamp,
            Version = full.Version,
            Streams = streams,
            Segments = delta.Segments,
        };
    }
}
