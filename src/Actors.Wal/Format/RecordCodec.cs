using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Actors.Checksums;
using Actors.Wal.Encryption;

namespace Actors.Wal.Format;

/// <summary>Frames and decodes record bodies (see the layout comment in <see cref="RecordHeader"/>).</summary>
internal static class RecordCodec
{
    /// <summary>Bytes of per-item metadata in a Relocated body (kind, version, LSN, timestamp, length).</summary>
    public const int RelocatedItemOverhead = 1 + 8 + 8 + 8 + 4;

    /// <summary>The framed size of an Events record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long EventsSize(int streamIdLength, IReadOnlyList<ReadOnlyMemory<byte>> events, PayloadCipher? cipher = null)
    {
        long size = RecordHeader.Size + streamIdLength;
        for (int i = 0; i < events.Count; i++)
        {
            size += 4 + PayloadCipher.StoredLength(cipher, events[i].Length);
        }

        return size;
    }

    /// <summary>The framed size of a Checkpoint record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long CheckpointSize(int streamIdLength, int stateLength, PayloadCipher? cipher = null)
        => RecordHeader.Size + streamIdLength + 4L + PayloadCipher.StoredLength(cipher, stateLength);

    /// <summary>The framed size of a Tombstone record.</summary>
    public static int TombstoneSize(int streamIdLength) => RecordHeader.Size + streamIdLength;

    /// <summary>Writes an Events record into <paramref name="destination"/> (payloads sealed when <paramref name="cipher"/> is set); returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int WriteEvents(Span<byte> destination, ReadOnlySpan<byte> streamId, long firstLsn, long firstVersion, long timestampTicks, long prevPosition, IReadOnlyList<ReadOnlyMemory<byte>> events, PayloadCipher? cipher = null, uint salt = 0, long anchor = LogPosition.None, ReadOnlySpan<long> span = default)
    {
        int length = checked((int)EventsSize(streamId.Length, events, cipher)) + TrailerBytes(anchor, span);
        new RecordHeader(length, RecordType.Events, streamId.Length, events.Count, firstLsn, firstVersion, timestampTicks, prevPosition, (byte)(FlagsFor(cipher) | TrailerFlagsFor(anchor, span))).Write(destination);
        streamId.CopyTo(destination[RecordHeader.Size..]);
        int offset = RecordHeader.Size + streamId.Length;
        for (int i = 0; i < events.Count; i++)
        {
            offset = WritePayload(destination, offset, events[i].Span, RecordType.Events, firstVersion + i, streamId, cipher);
        }

        WriteTrailer(destination, length, anchor, span);
        SealCrc(destination[..length], salt);
        return length;
    }

    /// <summary>Writes a Checkpoint record (the state sealed when <paramref name="cipher"/> is set); returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int WriteCheckpoint(Span<byte> destination, ReadOnlySpan<byte> streamId, long lsn, long version, long timestampTicks, long prevPosition, ReadOnlySpan<byte> state, PayloadCipher? cipher = null, uint salt = 0, long anchor = LogPosition.None, ReadOnlySpan<long> span = default)
    {
        int length = checked((int)CheckpointSize(streamId.Length, state.Length, cipher)) + TrailerBytes(anchor, span);
        new RecordHeader(length, RecordType.Checkpoint, streamId.Length, 1, lsn, version, timestampTicks, prevPosition, (byte)(FlagsFor(cipher) | TrailerFlagsFor(anchor, span))).Write(destination);
        streamId.CopyTo(destination[RecordHeader.Size..]);
        WritePayload(destination, RecordHeader.Size + streamId.Length, state, RecordType.Checkpoint, version, streamId, cipher);
        WriteTrailer(destination, length, anchor, span);
        SealCrc(destination[..length], salt);
        return length;
    }

    /// <summary>Writes a Tombstone record; returns its length.</summary>
    public static int WriteTombstone(Span<byte> destination, ReadOnlySpan<byte> streamId, long lsn, long version, long timestampTicks, long prevPosition, uint salt = 0, long anchor = LogPosition.None, ReadOnlySpan<long> span = default)
    {
        int length = TombstoneSize(streamId.Length) + TrailerBytes(anchor, span);
        new RecordHeader(length, RecordType.Tombstone, streamId.Length, 1, lsn, version, timestampTicks, prevPosition, TrailerFlagsFor(anchor, span)).Write(destination);
        streamId.CopyTo(destination[RecordHeader.Size..]);
        WriteTrailer(destination, length, anchor, span);
        SealCrc(destination[..length], salt);
        return length;
    }

    /// <summary>Writes a Seal record; returns its length.</summary>
    public static int WriteSeal(Span<byte> destination, long timestampTicks, uint salt = 0)
    {
        new RecordHeader(RecordHeader.SealSize, RecordType.Seal, 0, 0, 0, 0, timestampTicks, LogPosition.None).Write(destination);
        SealCrc(destination[..RecordHeader.SealSize], salt);
        return RecordHeader.SealSize;
    }

    /// <summary>
    /// The base a Relocated record carries: its last checkpoint or tombstone item (items are in version order, each checkpoint
    /// after the events it covers: a copy of a log that retains history puts the events the base covers before it, and a
    /// checkpoint deletion's copy the older checkpoints it kept), or (Events, 0) when it has none.
    /// </summary>
    public static (RecordType Kind, long Version) RelocatedBase(IReadOnlyList<RecordItem> items)
    {
        for (int i = items.Count - 1; i >= 0; i--)
        {
            if (items[i].Kind != RecordType.Events)
            {
                return (items[i].Kind, items[i].Version);
            }
        }

        return (RecordType.Events, 0);
    }

    /// <summary>The framed size of a Relocated record holding <paramref name="items"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long RelocatedSize(int streamIdLength, IReadOnlyList<RecordItem> items, PayloadCipher? cipher = null)
    {
        long size = RecordHeader.Size + streamIdLength;
        for (int i = 0; i < items.Count; i++) // indexed: a foreach over the interface would box the list's enumerator
        {
            RecordItem item = items[i];
            size += RelocatedItemOverhead + (item.Kind == RecordType.Tombstone ? 0 : PayloadCipher.StoredLength(cipher, item.Payload.Length));
        }

        return size;
    }

    /// <summary>
    /// Writes a Relocated record (items by version, the base after the events it covers; their plaintext payloads sealed
    /// again with the current key when <paramref name="cipher"/> is set); returns its length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int WriteRelocated(Span<byte> destination, ReadOnlySpan<byte> streamId, long streamVersion, long timestampTicks, IReadOnlyList<RecordItem> items, PayloadCipher? cipher = null, uint salt = 0)
    {
        int length = checked((int)RelocatedSize(streamId.Length, items, cipher));
        new RecordHeader(length, RecordType.Relocated, streamId.Length, items.Count, 0, streamVersion, timestampTicks, LogPosition.None, FlagsFor(cipher)).Write(destination);
        streamId.CopyTo(destination[RecordHeader.Size..]);
        int offset = RecordHeader.Size + streamId.Length;
        for (int i = 0; i < items.Count; i++)
        {
            RecordItem item = items[i];
            Span<byte> d = destination[offset..];
            d[0] = (byte)item.Kind;
            BinaryPrimitives.WriteInt64LittleEndian(d[1..], item.Version);
            BinaryPrimitives.WriteInt64LittleEndian(d[9..], item.Lsn);
            BinaryPrimitives.WriteInt64LittleEndian(d[17..], item.TimestampTicks);
            offset = item.Kind == RecordType.Tombstone
                ? WritePayload(destination, offset + RelocatedItemOverhead - 4, ReadOnlySpan<byte>.Empty, item.Kind, item.Version, streamId, cipher: null)
                : WritePayload(destination, offset + RelocatedItemOverhead - 4, item.Payload.Span, item.Kind, item.Version, streamId, cipher);
        }

        SealCrc(destination[..length], salt);
        return length;
    }

    /// <summary>
    /// Writes <c>{ u32 StoredLength, stored bytes }</c> at <paramref name="offset"/>: the payload itself, or its encrypted
    /// form when <paramref name="cipher"/> is set; returns the offset after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private static int WritePayload(Span<byte> destination, int offset, ReadOnlySpan<byte> payload, RecordType kind, long version, ReadOnlySpan<byte> streamId, PayloadCipher? cipher)
    {
        int stored = PayloadCipher.StoredLength(cipher, payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(destination[offset..], stored);
        if (cipher is null)
        {
            payload.CopyTo(destination[(offset + 4)..]);
        }
        else
        {
            cipher.Seal(payload, destination[(offset + 4)..], kind, version, streamId);
        }

        return offset + 4 + stored;
    }

    private static byte FlagsFor(PayloadCipher? cipher) => cipher is null ? (byte)0 : RecordHeader.EncryptedPayloadsFlag;

    /// <summary>
    /// The bytes an anchor and span positions add to a record: none without an anchor, <see cref="RecordHeader.AnchorSize"/>
    /// with one, plus <see cref="RecordHeader.SpanSize"/> when <paramref name="span"/> holds the span's positions.
    /// </summary>
    public static int TrailerBytes(long anchor, ReadOnlySpan<long> span) => RecordHeader.TrailerSize(TrailerFlagsFor(anchor, span));

    private static byte TrailerFlagsFor(long anchor, ReadOnlySpan<long> span)
        => anchor == LogPosition.None ? (byte)0
            : span.Length == RecordHeader.SpanPositions ? (byte)(RecordHeader.AnchorFlag | RecordHeader.SpanFlag)
            : span.IsEmpty ? RecordHeader.AnchorFlag
            : throw new ArgumentException($"a record carries {RecordHeader.SpanPositions} span positions or none, not {span.Length}", nameof(span));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteTrailer(Span<byte> destination, int length, long anchor, ReadOnlySpan<long> span)
    {
        if (anchor == LogPosition.None)
        {
            return;
        }

        BinaryPrimitives.WriteInt64LittleEndian(destination[(length - RecordHeader.AnchorSize)..], anchor);
        if (span.Length == RecordHeader.SpanPositions)
        {
            Span<byte> positions = destination.Slice(length - RecordHeader.AnchorSize - RecordHeader.SpanSize, RecordHeader.SpanSize);
            for (int i = 0; i < span.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(positions[(i * 8)..], span[i]);
            }
        }
    }

    /// <summary>
    /// The span positions a verified record carries (oldest first) into <paramref name="positions"/>
    /// (<see cref="RecordHeader.SpanPositions"/> long); false when it carries none.
    /// </summary>
    public static bool ReadSpan(in RecordHeader header, ReadOnlySpan<byte> record, Span<long> positions)
    {
        if (!header.HasSpan)
        {
            return false;
        }

        ReadOnlySpan<byte> bytes = record.Slice(header.Length - RecordHeader.AnchorSize - RecordHeader.SpanSize, RecordHeader.SpanSize);
        for (int i = 0; i < RecordHeader.SpanPositions; i++)
        {
            positions[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]);
        }

        return true;
    }

    /// <summary>The anchor position a verified record ends with, or <see cref="LogPosition.None"/> when it has none.</summary>
    public static long ReadAnchor(in RecordHeader header, ReadOnlySpan<byte> record)
        => header.HasAnchor ? BinaryPrimitives.ReadInt64LittleEndian(record.Slice(header.Length - RecordHeader.AnchorSize, RecordHeader.AnchorSize)) : LogPosition.None;

    /// <summary>
    /// Computes the record CRC over bytes [0,4) and [8,Length), seeded with <paramref name="salt"/> (the record's segment's
    /// <see cref="SegmentHeader.RecordSalt"/>), and stores it at offset 4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SealCrc(Span<byte> record, uint salt = 0) => BinaryPrimitives.WriteUInt32LittleEndian(record[4..], ComputeCrc(record, salt));

    /// <summary>
    /// The CRC a record should carry in a segment whose record salt is <paramref name="salt"/>: CRC32C with the register
    /// starting at <c>0xFFFFFFFF ^ salt</c> (salt 0: the plain CRC32C of format versions up to 3). The same bytes under two
    /// different salts never give the same CRC.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    public static uint ComputeCrc(ReadOnlySpan<byte> record, uint salt = 0)
        => Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.Seed ^ salt, record[..4]), record[8..]));

    /// <summary>True when the record's stored CRC matches its bytes under the segment's <paramref name="salt"/>.</summary>
    public static bool CrcMatches(ReadOnlySpan<byte> record, uint salt = 0)
        => BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) == ComputeCrc(record, salt);

    /// <summary>
    /// Decodes the items of a record whose header and CRC were already validated. Returns false (with a reason)
    /// when the body does not match its header (possible only for a CRC collision or a writer bug).
    /// </summary>
    public static bool TryDecodeItems(in RecordHeader header, ReadOnlyMemory<byte> record, List<RecordItem> items, out string? reason)
    {
        ReadOnlySpan<byte> span = record.Span[..Math.Min(record.Length, header.BodyEnd)];
        int offset = header.BodyOffset;
        reason = null;
        switch (header.Type)
        {
            case RecordType.Events:
                for (int i = 0; i < header.ItemCount; i++)
                {
                    if (!TryReadLength(span, offset, out int len))
                    {
                        reason = $"event {i} overruns the record";
                        return false;
                    }

                    items.Add(new RecordItem(RecordType.Events, header.FirstVersion + i, header.FirstLsn + i, header.TimestampTicks, record.Slice(offset + 4, len)));
                    offset += 4 + len;
                }

                break;
            case RecordType.Checkpoint:
                if (!TryReadLength(span, offset, out int stateLength))
                {
                    reason = "the checkpoint state overruns the record";
                    return false;
                }

                items.Add(new RecordItem(RecordType.Checkpoint, header.FirstVersion, header.FirstLsn, header.TimestampTicks, record.Slice(offset + 4, stateLength)));
                offset += 4 + stateLength;
                break;
            case RecordType.Tombstone:
                items.Add(new RecordItem(RecordType.Tombstone, header.FirstVersion, header.FirstLsn, header.TimestampTicks, ReadOnlyMemory<byte>.Empty));
                break;
            case RecordType.Relocated:
                for (int i = 0; i < header.ItemCount; i++)
                {
                    if (offset + RelocatedItemOverhead > span.Length)
                    {
                        reason = $"relocated item {i} overruns the record";
                        return false;
                    }

                    ReadOnlySpan<byte> s = span[offset..];
                    var kind = (RecordType)s[0];
                    int len = BinaryPrimitives.ReadInt32LittleEndian(s[25..]);
                    if (kind is not (RecordType.Events or RecordType.Checkpoint or RecordType.Tombstone) || len < 0 || offset + RelocatedItemOverhead + len > span.Length
                        || !RecordHeader.IsValidTimestamp(BinaryPrimitives.ReadInt64LittleEndian(s[17..])))
                    {
                        reason = $"relocated item {i} is malformed";
                        return false;
                    }

                    items.Add(new RecordItem(kind, BinaryPrimitives.ReadInt64LittleEndian(s[1..]), BinaryPrimitives.ReadInt64LittleEndian(s[9..]), BinaryPrimitives.ReadInt64LittleEndian(s[17..]), record.Slice(offset + RelocatedItemOverhead, len)));
                    offset += RelocatedItemOverhead + len;
                }

                break;
            default:
                break;
        }

        if (offset != header.BodyEnd)
        {
            reason = $"the body ends at {offset} but the record length is {header.Length}{(header.HasAnchor ? " with an anchor position" : string.Empty)}{(header.HasSpan ? " and span positions" : string.Empty)}";
            return false;
        }

        return true;
    }

    private static bool TryReadLength(ReadOnlySpan<byte> span, int offset, out int length)
    {
        length = 0;
        if (offset + 4 > span.Length)
        {
            return false;
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(span[offset..]);
        return length >= 0 && offset + 4 + length <= span.Length;
    }
}
