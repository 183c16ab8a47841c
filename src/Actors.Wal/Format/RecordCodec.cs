using System.Buffers.Binary;

namespace Actors.Wal.Format;

/// <summary>Frames and decodes record bodies (see the layout comment in <see cref="RecordHeader"/>).</summary>
internal static class RecordCodec
{
    /// <summary>Bytes of per-item metadata in a Relocated body (kind, version, LSN, timestamp, length).</summary>
    public const int RelocatedItemOverhead = 1 + 8 + 8 + 8 + 4;

    /// <summary>The framed size of an Events record.</summary>
    public static long EventsSize(int streamIdLength, IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        long size = RecordHeader.Size + streamIdLength;
        for (int i = 0; i < events.Count; i++)
        {
            size += 4 + events[i].Length;
        }

        return size;
    }

    /// <summary>The framed size of a Checkpoint record.</summary>
    public static long CheckpointSize(int streamIdLength, int stateLength) => RecordHeader.Size + streamIdLength + 4L + stateLength;

    /// <summary>The framed size of a Tombstone record.</summary>
    public static int TombstoneSize(int streamIdLength) => RecordHeader.Size + streamIdLength;

    /// <summary>Writes an Events record into <paramref name="destination"/>; returns its length.</summary>
    public static int WriteEvents(Span<byte> destination, ReadOnlySpan<byte> streamId, long firstLsn, long firstVersion, long timestampTicks, long prevPosition, IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        int length = checked((int)EventsSize(streamId.Length, events));
        new RecordHeader(length, RecordType.Events, streamId.Length, events.Count, firstLsn, firstVersion, timestampTicks, prevPosition).Write(destination);
        streamId.CopyTo(destination[RecordHeader.Size..]);
        int offset = RecordHeader.Size + streamId.Length;
        for (int i = 0; i < events.Count; i++)
        {
            ReadOnlySpan<byte> e = events[i].Span;
            BinaryPrimitives.WriteInt32LittleEndian(destination[offset..], e.Length);
            e.CopyTo(destination[(offset + 4)..]);
            offset += 4 + e.Length;
        }

        SealCrc(destination[..length]);
        return length;
    }

    /// <summary>Writes a Checkpoint record; returns its length.</summary>
    public static int WriteCheckpoint(Span<byte> destination, ReadOnlySpan<byte> streamId, long lsn, long version, long timestampTicks, long prevPosition, ReadOnlySpan<byte> state)
    {
        int length = checked((int)CheckpointSize(streamId.Length, state.Length));
        new RecordHeader(length, RecordType.Checkpoint, streamId.Length, 1, lsn, version, timestampTicks, prevPosition).Write(destination);
        streamId.CopyTo(destination[RecordHeader.Size..]);
        int offset = RecordHeader.Size + streamId.Length;
        BinaryPrimitives.WriteInt32LittleEndian(destination[offset..], state.Length);
        state.CopyTo(destination[(offset + 4)..]);
        SealCrc(destination[..length]);
        return length;
    }

    /// <summary>Writes a Tombstone record; returns its length.</summary>
    public static int WriteTombstone(Span<byte> destination, ReadOnlySpan<byte> streamId, long lsn, long version, long timestampTicks, long prevPosition)
    {
        int length = TombstoneSize(streamId.Length);
        new RecordHeader(length, RecordType.Tombstone, streamId.Length, 1, lsn, version, timestampTicks, prevPosition).Write(destination);
        streamId.CopyTo(destination[RecordHeader.Size..]);
        SealCrc(destination[..length]);
        return length;
    }

    /// <summary>Writes a Seal record; returns its length.</summary>
    public static int WriteSeal(Span<byte> destination, long timestampTicks)
    {
        new RecordHeader(RecordHeader.SealSize, RecordType.Seal, 0, 0, 0, 0, timestampTicks, LogPosition.None).Write(destination);
        SealCrc(destination[..RecordHeader.SealSize]);
        return RecordHeader.SealSize;
    }

    /// <summary>The framed size of a Relocated record holding <paramref name="items"/>.</summary>
    public static long RelocatedSize(int streamIdLength, IReadOnlyList<RecordItem> items)
    {
        long size = RecordHeader.Size + streamIdLength;
        foreach (var item in items)
        {
            size += RelocatedItemOverhead + item.Payload.Length;
        }

        return size;
    }

    /// <summary>Writes a Relocated record (items in chain order, base first); returns its length.</summary>
    public static int WriteRelocated(Span<byte> destination, ReadOnlySpan<byte> streamId, long streamVersion, long timestampTicks, IReadOnlyList<RecordItem> items)
    {
        int length = checked((int)RelocatedSize(streamId.Length, items));
        new RecordHeader(length, RecordType.Relocated, streamId.Length, items.Count, 0, streamVersion, timestampTicks, LogPosition.None).Write(destination);
        streamId.CopyTo(destination[RecordHeader.Size..]);
        int offset = RecordHeader.Size + streamId.Length;
        foreach (var item in items)
        {
            Span<byte> d = destination[offset..];
            d[0] = (byte)item.Kind;
            BinaryPrimitives.WriteInt64LittleEndian(d[1..], item.Version);
            BinaryPrimitives.WriteInt64LittleEndian(d[9..], item.Lsn);
            BinaryPrimitives.WriteInt64LittleEndian(d[17..], item.TimestampTicks);
            BinaryPrimitives.WriteInt32LittleEndian(d[25..], item.Payload.Length);
            item.Payload.Span.CopyTo(d[RelocatedItemOverhead..]);
            offset += RelocatedItemOverhead + item.Payload.Length;
        }

        SealCrc(destination[..length]);
        return length;
    }

    /// <summary>Computes the record CRC over bytes [0,4) and [8,Length) and stores it at offset 4.</summary>
    public static void SealCrc(Span<byte> record) => BinaryPrimitives.WriteUInt32LittleEndian(record[4..], ComputeCrc(record));

    /// <summary>The CRC a record should carry.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> record)
        => Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.Seed, record[..4]), record[8..]));

    /// <summary>True when the record's stored CRC matches its bytes.</summary>
    public static bool CrcMatches(ReadOnlySpan<byte> record)
        => BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) == ComputeCrc(record);

    /// <summary>
    /// Decodes the items of a record whose header and CRC were already validated. Returns false (with a reason)
    /// when the body does not match its header (possible only for a CRC collision or a writer bug).
    /// </summary>
    public static bool TryDecodeItems(in RecordHeader header, ReadOnlyMemory<byte> record, List<RecordItem> items, out string? reason)
    {
        ReadOnlySpan<byte> span = record.Span;
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

        if (offset != header.Length)
        {
            reason = $"the body ends at {offset} but the record length is {header.Length}";
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
