using System.Buffers.Binary;
using System.Text;

namespace Actors.Replication.Wal.EventLog;

/*
 * Payload of a replicated entry that carries one event-log write. All integers little-endian.
 *
 *   offset size field
 *   0      1    Version          1
 *   1      1    Kind             ReplicatedOperationKind: 1 Append, 2 Checkpoint, 3 DeleteStream, 4 EraseEvents, 5 DeleteCheckpoints
 *   2      16   OperationId      chosen by the proposing leader, unique per proposal (OperationIds); lets it find its caller
 *                                when the entry is applied
 *   18     2    StreamIdLength   n (1 .. 1024)
 *   20     n    StreamId         UTF-8
 *   20+n   8    Version          Append, DeleteStream: expected version; Checkpoint: covered version; EraseEvents: last version erased;
 *                                DeleteCheckpoints: lowest version selected
 *   28+n   4    ItemCount        Append: events (>= 1); Checkpoint: 1 (the state); DeleteStream, EraseEvents: 0;
 *                                DeleteCheckpoints: 1 (the highest version selected, 8 bytes little-endian)
 *   32+n   ...  Items            ItemCount x { u32 Length, Length bytes }
 *
 * Integrity is the entry log's (CRC32C per record); this layout is checked for shape only.
 */

/// <summary>One event-log write as the payload of a replicated entry (layout above).</summary>
/// <param name="Kind">Which write.</param>
/// <param name="OperationId">Identifies the proposal (unique per proposal).</param>
/// <param name="StreamId">The stream written.</param>
/// <param name="Version">Expected, covered or last erased version (see <see cref="ReplicatedOperationKind"/>).</param>
/// <param name="Items">Events, or the checkpoint state.</param>
public sealed record ReplicatedOperation(
    ReplicatedOperationKind Kind, Guid OperationId, string StreamId, long Version, IReadOnlyList<ReadOnlyMemory<byte>> Items)
{
    private const byte FormatVersion = 1;
    private const int FixedSize = 1 + 1 + 16 + 2 + 8 + 4;

    /// <summary>Encodes the operation.</summary>
    public byte[] Encode() => Encode(Kind, OperationId, StreamId, Version, Items);

    /// <summary>Encodes an operation of these fields (as <see cref="Encode()"/> does, without the operation object).</summary>
    internal static byte[] Encode(ReplicatedOperationKind kind, Guid operationId, string streamId, long version, IReadOnlyList<ReadOnlyMemory<byte>> items)
    {
        var streamLength = Encoding.UTF8.GetByteCount(streamId);
        long size = FixedSize + streamLength;
        for (var i = 0; i < items.Count; i++)
        {
            size += 4 + items[i].Length;
        }

        var buffer = new byte[checked((int)size)];
        var span = buffer.AsSpan();
        span[0] = FormatVersion;
        span[1] = (byte)kind;
        operationId.TryWriteBytes(span[2..18]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], checked((ushort)streamLength));
        Encoding.UTF8.GetBytes(streamId, span.Slice(20, streamLength));
        var offset = 20 + streamLength;
        BinaryPrimitives.WriteInt64LittleEndian(span[offset..], version);
        BinaryPrimitives.WriteInt32LittleEndian(span[(offset + 8)..], items.Count);
        offset += 12;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], item.Length);
            item.Span.CopyTo(span[(offset + 4)..]);
            offset += 4 + item.Length;
        }

        return buffer;
    }

    /// <summary>Decodes the payload of the entry at <paramref name="lsn"/>.</summary>
    /// <exception cref="MalformedReplicatedOperationException">The payload is not a valid operation.</exception>
    public static ReplicatedOperation Decode(long lsn, ReadOnlyMemory<byte> payload)
    {
        var decoded = DecodeFields(lsn, payload, streamIds: null);
        return new ReplicatedOperation(decoded.Kind, decoded.OperationId, decoded.StreamId, decoded.Version, decoded.Items);
    }

    /// <summary>
    /// Decodes the payload of the entry at <paramref name="lsn"/> as <see cref="Decode"/> does, into a value (no object per
    /// operation) whose stream id comes from <paramref name="streamIds"/> when it holds it.
    /// </summary>
    /// <exception cref="MalformedReplicatedOperationException">The payload is not a valid operation.</exception>
    internal static DecodedOperation DecodeFields(long lsn, ReadOnlyMemory<byte> payload, StreamIdCache? streamIds)
    {
        var span = payload.Span;
        if (span.Length < FixedSize)
        {
            throw new MalformedReplicatedOperationException(lsn, $"{span.Length} bytes are fewer than the {FixedSize}-byte minimum");
        }

        if (span[0] != FormatVersion)
        {
            throw new MalformedReplicatedOperationException(lsn, $"format version {span[0]} is not {FormatVersion}");
        }

        var kind = (ReplicatedOperationKind)span[1];
        if (!Enum.IsDefined(kind))
        {
            throw new MalformedReplicatedOperationException(lsn, $"unknown kind {span[1]}");
        }

        var operationId = new Guid(span[2..18]);
        int streamLength = BinaryPrimitives.ReadUInt16LittleEndian(span[18..]);
        if (streamLength == 0 || FixedSize + streamLength > span.Length)
        {
            throw new MalformedReplicatedOperationException(lsn, $"stream id length {streamLength} does not fit {span.Length} bytes");
        }

        var streamBytes = span.Slice(20, streamLength);
        var streamId = streamIds is null ? Encoding.UTF8.GetString(streamBytes) : streamIds.Get(streamBytes);
        var offset = 20 + streamLength;
        var version = BinaryPrimitives.ReadInt64LittleEndian(span[offset..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[(offset + 8)..]);
        offset += 12;
        if (count < 0 || count > (span.Length - offset) / 4)
        {
            throw new MalformedReplicatedOperationException(lsn, $"item count {count} does not fit the {span.Length - offset} bytes left");
        }

        var items = count == 0 ? [] : new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            var length = span.Length - offset >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(span[offset..]) : -1;
            if (length < 0 || length > span.Length - offset - 4)
            {
                throw new MalformedReplicatedOperationException(lsn, $"item {i} of {count} runs past the payload's end");
            }

            items[i] = payload.Slice(offset + 4, length);
            offset += 4 + length;
        }

        if (offset != span.Length)
        {
            throw new MalformedReplicatedOperationException(lsn, $"{span.Length - offset} bytes follow the last item");
        }

        return new DecodedOperation(kind, operationId, streamId, version, items);
    }
}
