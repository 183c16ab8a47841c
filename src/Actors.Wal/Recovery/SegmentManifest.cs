using System.Buffers.Binary;
using Actors.Wal.Format;

namespace Actors.Wal.Recovery;

/*
 * Segment manifest "segments.manifest": the set of live segments and pre-created spares (LevelDB MANIFEST-style, but
 * rewritten whole: MetadataFileEnvelope.Replace):
 *   - after a spare's header and the directory are fsynced, BEFORE the writer may switch to it: the writer then
 *     rotates without writing the manifest (recovery knows a spare after a sealed segment is the next segment);
 *   - after a rotation (in the background, asked for by the writer and again by the committer once the old segment's
 *     seal is durable: records in the new segment are acknowledged without waiting for it; until it lands, recovery
 *     adopts a listed spare that follows a sealed segment and holds a valid record at its start as the next segment,
 *     and backup copies a listed spare found under its segment name), after segment creation outside the spare path
 *     (before any record goes into the new segment);
 *   - after the recovery snapshot and BEFORE a segment file is deleted or recycled (the segment is no longer listed);
 *   - after an erase marked segments (before its relocation copy is written): the marks survive a restart.
 * So every segment that may hold acknowledged data is listed, and a listed segment is never deleted.
 * Envelope magic 0x4E414D57, format version 3; minimum compatible version 3 when any entry has a flag set, else 2 (a
 * version-2 reader would drop the flags). After the envelope's 8 bytes:
 *
 *   offset size field
 *   8      4    SegmentCount
 *   12     ...  SegmentCount x 22 bytes: u32 SegmentId, u8 State (0 open, 1 sealed, 2 spare),
 *               i64 SealedLength (end of the seal record; 0 unless sealed), i64 SealedAtUtcTicks (0 unless sealed),
 *               u8 Flags (bit 0: holds records an erase left behind; compacted and deleted whatever its ratio and
 *               retention, never recycled. Other bits 0; version 2 wrote 0 here)
 *   end-4  4    CRC32C of every preceding byte
 *
 * Version 2: the same layout with the flags byte always 0. Version 1 (format-v1 engines): 13-byte entries
 * { u32 SegmentId, u8 Sealed, i64 SealedLength }, read the same way.
 */

/// <summary>What the manifest says about a segment.</summary>
internal enum ManifestState : byte
{
    /// <summary>Live, not sealed (the active segment, or one whose seal the manifest has not caught up with).</summary>
    Open = 0,

    /// <summary>Live and sealed at <see cref="ManifestEntry.SealedLength"/>.</summary>
    Sealed = 1,

    /// <summary>Pre-created, never written unless the segment before it is sealed (then it is the next segment).</summary>
    Spare = 2,
}

/// <summary>One manifest entry.</summary>
/// <param name="Id">The segment id.</param>
/// <param name="State">Open, sealed or spare.</param>
/// <param name="SealedLength">The end of the seal record when sealed.</param>
/// <param name="SealedAtTicks">When it was sealed (UTC ticks), when known.</param>
/// <param name="HoldsErasedData">An erase left records in it: compact and delete it, never recycle it.</param>
internal readonly record struct ManifestEntry(uint Id, ManifestState State, long SealedLength, long SealedAtTicks, bool HoldsErasedData = false)
{
    /// <summary>True when sealed.</summary>
    public bool IsSealed => State == ManifestState.Sealed;
}

/// <summary>The persisted list of live segments that lets recovery detect a missing or truncated segment.</summary>
internal sealed class SegmentManifest
{
    /// <summary>The manifest file name.</summary>
    public const string FileName = "segments.manifest";

    /// <summary>The format version this build writes and reads.</summary>
    public const ushort CurrentVersion = 3;

    /// <summary>The oldest version that reads a manifest without flags correctly.</summary>
    private const ushort UnflaggedMinVersion = 2;

    private const byte ErasedFlag = 1;

    private const int HeaderSize = 12;
    private const int EntrySize = 22;
    private const int V1EntrySize = 13;

    /// <summary>The file's kind: name, envelope, version.</summary>
    internal static readonly MetadataFileEnvelope Envelope = new(FileName, 0x4E414D57, CurrentVersion, HeaderSize);

    /// <summary>The segments in id order.</summary>
    public List<ManifestEntry> Segments { get; init; } = [];

    /// <summary>Serializes a manifest listing <paramref name="segments"/>.</summary>
    public static byte[] Serialize(IReadOnlyCollection<ManifestEntry> segments)
    {
        var buffer = Envelope.Create(segments.Count * EntrySize, segments.Any(s => s.HoldsErasedData) ? CurrentVersion : UnflaggedMinVersion);
        Span<byte> d = buffer;
        BinaryPrimitives.WriteInt32LittleEndian(d[8..], segments.Count);
        int o = HeaderSize;
        foreach (var e in segments.OrderBy(s => s.Id))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(d[o..], e.Id);
            d[o + 4] = (byte)e.State;
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 5)..], e.IsSealed ? e.SealedLength : 0);
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 13)..], e.IsSealed ? e.SealedAtTicks : 0);
            d[o + 21] = e.HoldsErasedData ? ErasedFlag : (byte)0;
            o += EntrySize;
        }

        return MetadataFileEnvelope.Seal(buffer);
    }

    /// <summary>
    /// Parses a manifest; null with a reason when it is damaged. <paramref name="minCompatibleVersion"/> is set when
    /// the file is intact but needs a newer reader (the caller reports <see cref="UnsupportedFormatVersionException"/>).
    /// </summary>
    public static SegmentManifest? TryParse(ReadOnlySpan<byte> data, out string? reason, out ushort version, out ushort minCompatibleVersion)
    {
        if (!Envelope.TryOpen(data, out version, out minCompatibleVersion, out reason))
        {
            return null;
        }

        int entrySize = version >= 2 ? EntrySize : V1EntrySize;
        int count = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        if (count < 0 || HeaderSize + ((long)count * entrySize) + 4 != data.Length)
        {
            reason = "segment count out of range";
            return null;
        }

        var segments = new List<ManifestEntry>(count);
        for (int i = 0, o = HeaderSize; i < count; i++, o += entrySize)
        {
            byte state = data[o + 4];
            if (state > (byte)ManifestState.Spare || (version < 2 && state > 1))
            {
                reason = $"unknown segment state {state}";
                return null;
            }

            segments.Add(new ManifestEntry(
                BinaryPrimitives.ReadUInt32LittleEndian(data[o..]),
                (ManifestState)state,
                BinaryPrimitives.ReadInt64LittleEndian(data[(o + 5)..]),
                version >= 2 ? BinaryPrimitives.ReadInt64LittleEndian(data[(o + 13)..]) : 0,
                version >= 3 && (data[o + 21] & ErasedFlag) != 0));
        }

        return new SegmentManifest { Segments = segments };
    }
}
