using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Actors.Wal.Format;

/*
 * Record framing. Records follow each other from offset 64 (after the segment header) without padding.
 * All integers little-endian.
 *
 *   offset size field
 *   0      4    Length          total bytes of the record, this header included (48 .. segment size)
 *   4      4    Crc             CRC32C over bytes [0, 4) followed by bytes [8, Length): covers the length too
 *   8      1    Type            RecordType: 1 Events, 2 Checkpoint, 3 Tombstone, 4 Relocated, 5 Seal
 *   9      1    Flags           bit 0: the payloads are encrypted (Events, Checkpoint, Relocated; see
 *                               Encryption/PayloadCipher.cs); bit 1: the record ends with an AnchorPosition (Events,
 *                               Checkpoint, Tombstone; segment format version 5); bit 2 (only with bit 1): SpanPositions
 *                               precede the AnchorPosition (segment format version 6); readers reject other bits
 *   10     2    StreamIdLength  UTF-8 bytes of the stream id (1 .. 1024; 0 for Seal)
 *   12     4    ItemCount       Events: number of events (>= 1); Checkpoint, Tombstone: 1; Relocated: items (>= 0:
 *                               an erase that keeps nothing of a stream writes an empty one, format version 2); Seal: 0
 *   16     8    FirstLsn        LSN of the first event (Events: event i has FirstLsn + i); Checkpoint/Tombstone: its LSN;
 *                               Relocated: 0 (items carry their original LSNs); Seal: 0
 *   24     8    FirstVersion    Events: version of the first event (event i has FirstVersion + i);
 *                               Checkpoint: the version covered; Tombstone: the stream version when deleted;
 *                               Relocated: the stream's version when copied; Seal: 0
 *   32     8    Timestamp       append time, DateTimeOffset.UtcTicks (Relocated: copy time; items keep theirs)
 *   40     8    PrevPosition    position (segment id << 32 | offset) of the previous record of the same stream,
 *                               or -1; Relocated records always store -1 (they start a fresh chain)
 *   48     n    StreamId        UTF-8 bytes, n = StreamIdLength
 *   48+n   ...  Body
 *   Length-80 72  SpanPositions   (Flags bit 2 only) the positions of the stream's AnchorInterval - 1 records between the
 *                               anchor this record carries and itself, oldest first (the first points back to
 *                               AnchorPosition, the last is PrevPosition): only an anchor carries them, so a reader reads
 *                               a whole span at once instead of walking it (docs/wal-format.md, "Span positions")
 *   Length-8 8    AnchorPosition  (Flags bit 1 only) the position of the newest earlier anchor of the stream: an anchor is
 *                               a record whose chain index (StreamEntry.ChainRecords after it) is 1 mod AnchorInterval;
 *                               a reader follows anchors to walk the stream's back-pointers concurrently (AnchoredWalk)
 *
 * Bodies:
 *   Events:     ItemCount x { u32 PayloadLength, PayloadLength bytes }
 *   Checkpoint: u32 StateLength, StateLength bytes
 *   Tombstone:  empty
 *   Seal:       empty
 *   Relocated:  ItemCount x { u8 Kind (1 event, 2 checkpoint, 3 tombstone), i64 Version, i64 Lsn, i64 Timestamp,
 *                             u32 PayloadLength, PayloadLength bytes }   (in version order, each checkpoint after the
 *                             events it covers; the last checkpoint or tombstone is the stream's base; older checkpoints
 *                             only where a checkpoint deletion kept them)
 *
 * A zero Length field at a record boundary means "no more records" (preallocated space is zero-filled).
 * A batch is one record, so it is all-or-nothing: a torn batch fails its CRC as a whole.
 */

/// <summary>The fixed 48-byte header of every record.</summary>
internal readonly record struct RecordHeader(
    int Length,
    RecordType Type,
    int StreamIdLength,
    int ItemCount,
    long FirstLsn,
    long FirstVersion,
    long TimestampTicks,
    long PrevPosition,
    byte Flags = 0)
{
    /// <summary>Flags bit 0: every payload of the record is encrypted (<see cref="Encryption.PayloadCipher"/>).</summary>
    public const byte EncryptedPayloadsFlag = 1;

    /// <summary>Flags bit 1: the record's last <see cref="AnchorSize"/> bytes are its stream's newest earlier anchor (format version 5).</summary>
    public const byte AnchorFlag = 2;

    /// <summary>The bytes of the anchor position that ends a record with <see cref="AnchorFlag"/>.</summary>
    public const int AnchorSize = 8;

    /// <summary>
    /// Flags bit 2 (only with <see cref="AnchorFlag"/>): <see cref="SpanSize"/> bytes of span positions precede the anchor
    /// position (format version 6): the stream's records between the anchor the record carries and the record itself.
    /// </summary>
    public const byte SpanFlag = 4;

    /// <summary>The positions a record with <see cref="SpanFlag"/> carries: the records between two anchors.</summary>
    public const int SpanPositions = AnchorInterval - 1;

    /// <summary>The bytes of the span positions of a record with <see cref="SpanFlag"/>.</summary>
    public const int SpanSize = SpanPositions * 8;

    /// <summary>Records whose chain index is 1 modulo this are anchors (K in docs/wal-format.md).</summary>
    public const int AnchorInterval = 10;

    /// <summary>The fixed header size in bytes; the stream id follows.</summary>
    public const int Size = 48;

    /// <summary>The size of a seal record.</summary>
    public const int SealSize = Size;

    /// <summary>Offset of the stream id bytes.</summary>
    public int StreamIdOffset => Size;

    /// <summary>Offset of the body.</summary>
    public int BodyOffset => Size + StreamIdLength;

    /// <summary>True when the record ends with an anchor position (<see cref="AnchorFlag"/>).</summary>
    public bool HasAnchor => (Flags & AnchorFlag) != 0;

    /// <summary>True when span positions precede the record's anchor position (<see cref="SpanFlag"/>).</summary>
    public bool HasSpan => (Flags & SpanFlag) != 0;

    /// <summary>Where the body ends: before the span and anchor positions when the record has them, else at <see cref="Length"/>.</summary>
    public int BodyEnd => Length - TrailerSize(Flags);

    /// <summary>The bytes after the body a record with <paramref name="flags"/> carries (anchor and span positions).</summary>
    public static int TrailerSize(byte flags)
        => ((flags & AnchorFlag) != 0 ? AnchorSize : 0) + ((flags & SpanFlag) != 0 ? SpanSize : 0);

    /// <summary>The LSN of the record's last item (Events: FirstLsn + count - 1).</summary>
    public long LastLsn => Type == RecordType.Events ? FirstLsn + ItemCount - 1 : FirstLsn;

    /// <summary>The version of the last event in an Events record.</summary>
    public long LastVersion => Type == RecordType.Events ? FirstVersion + ItemCount - 1 : FirstVersion;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes (the CRC field is left zero; see <see cref="RecordCodec.SealCrc"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    public void Write(Span<byte> destination)
    {
        Span<byte> d = destination[..Size];
        BinaryPrimitives.WriteInt32LittleEndian(d, Length);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], 0);
        d[8] = (byte)Type;
        d[9] = Flags;
        BinaryPrimitives.WriteUInt16LittleEndian(d[10..], (ushort)StreamIdLength);
        BinaryPrimitives.WriteInt32LittleEndian(d[12..], ItemCount);
        BinaryPrimitives.WriteInt64LittleEndian(d[16..], FirstLsn);
        BinaryPrimitives.WriteInt64LittleEndian(d[24..], FirstVersion);
        BinaryPrimitives.WriteInt64LittleEndian(d[32..], TimestampTicks);
        BinaryPrimitives.WriteInt64LittleEndian(d[40..], PrevPosition);
    }

    /// <summary>
    /// True when <paramref name="utcTicks"/> can be turned into a UTC <see cref="DateTimeOffset"/>; a record (or a
    /// relocated item) carrying any other timestamp is damaged even when its CRC matches.
    /// </summary>
    public static bool IsValidTimestamp(long utcTicks)
        => utcTicks >= DateTimeOffset.MinValue.UtcTicks && utcTicks <= DateTimeOffset.MaxValue.UtcTicks;

    /// <summary>
    /// Parses a header and checks that its fields are structurally plausible (the CRC is checked separately).
    /// </summary>
    /// <param name="source">At least <see cref="Size"/> bytes.</param>
    /// <param name="maxLength">The largest acceptable Length (bounded by the segment and the remaining file).</param>
    /// <param name="header">The parsed header.</param>
    /// <param name="reason">Why the header is implausible.</param>
    public static bool TryRead(ReadOnlySpan<byte> source, long maxLength, out RecordHeader header, out string? reason)
    {
        header = default;
        if (source.Length < Size)
        {
            reason = "the record header is cut off by the end of the file";
            return false;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(source);
        var type = (RecordType)source[8];
        byte flags = source[9];
        int idLength = BinaryPrimitives.ReadUInt16LittleEndian(source[10..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(source[12..]);
        if (length < Size || length > maxLength)
        {
            reason = $"the length field {length} is outside [{Size}, {maxLength}]";
            return false;
        }

        if (type is < RecordType.Events or > RecordType.Seal
            || (flags & ~(EncryptedPayloadsFlag | AnchorFlag | SpanFlag)) != 0
            || ((flags & EncryptedPayloadsFlag) != 0 && type is RecordType.Tombstone or RecordType.Seal)
            || ((flags & AnchorFlag) != 0 && type is RecordType.Relocated or RecordType.Seal)
            || ((flags & SpanFlag) != 0 && (flags & AnchorFlag) == 0))
        {
            reason = $"unknown record type {(byte)type} or flags {flags}";
            return false;
        }

        bool idOk = type == RecordType.Seal ? idLength == 0 : idLength is >= 1 and <= StreamId.MaxByteLength;
        bool countOk = type switch
        {
            RecordType.Events => count >= 1,
            RecordType.Checkpoint or RecordType.Tombstone => count == 1,
            RecordType.Relocated => count >= 0,
            _ => count == 0,
        };
        if (!idOk || !countOk || Size + idLength + TrailerSize(flags) > length)
        {
            reason = $"implausible stream id length {idLength} or item count {count} for a {type} record of {length} bytes";
            return false;
        }

        long timestampTicks = BinaryPrimitives.ReadInt64LittleEndian(source[32..]);
        if (!IsValidTimestamp(timestampTicks))
        {
            reason = $"the timestamp {timestampTicks} is outside the DateTimeOffset range";
            return false;
        }

        header = new RecordHeader(
            length,
            type,
            idLength,
            count,
            BinaryPrimitives.ReadInt64LittleEndian(source[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[24..]),
            timestampTicks,
            BinaryPrimitives.ReadInt64LittleEndian(source[40..]),
            flags);
        reason = null;
        return true;
    }
}
