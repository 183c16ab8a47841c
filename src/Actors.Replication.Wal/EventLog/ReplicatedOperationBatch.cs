using System.Buffers.Binary;

namespace Actors.Replication.Wal.EventLog;

/*
 * Payload of a replicated entry that carries several event-log writes (one leader group commit). Little-endian.
 *
 *   offset size field
 *   0      1    Version          2 (a payload whose first byte is 1 is a single ReplicatedOperation, see its layout)
 *   1      4    Count            operations (>= 1)
 *   5      ...  Operations       Count x { u32 Length, Length bytes: one ReplicatedOperation, version 1 layout }
 *
 * The operations are applied in this order, after every operation of the entries before and before every operation of
 * the entries after. Integrity is the entry log's (CRC32C per record); this layout is checked for shape only.
 */

/// <summary>Several <see cref="ReplicatedOperation"/>s as the payload of one replicated entry (layout above).</summary>
public static class ReplicatedOperationBatch
{
    private const byte FormatVersion = 2;
    private const int HeaderSize = 1 + 4;

    /// <summary>The payload size of a batch of operations whose encodings total <paramref name="operationBytes"/> bytes.</summary>
    public static long SizeOf(int count, long operationBytes) => HeaderSize + (4L * count) + operationBytes;

    /// <summary>Encodes already encoded operations (<see cref="ReplicatedOperation.Encode()"/>) as one payload.</summary>
    /// <exception cref="ArgumentException"><paramref name="operations"/> is empty.</exception>
    public static byte[] Encode(IReadOnlyList<byte[]> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return EncodeCore(operations, static operation => operation);
    }

    /// <summary>Encodes the encoded operations of proposals (<see cref="ReplicatedOperation.Encode()"/>) as one payload, in their order.</summary>
    /// <exception cref="ArgumentException"><paramref name="proposals"/> is empty.</exception>
    internal static byte[] Encode(List<(Guid OperationId, byte[] Encoded)> proposals) => EncodeCore(proposals, static proposal => proposal.Encoded);

    private static byte[] EncodeCore<T>(IReadOnlyList<T> operations, Func<T, byte[]> encoded)
    {
        if (operations.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one operation.", nameof(operations));
        }

        long total = 0;
        for (var i = 0; i < operations.Count; i++)
        {
            total += encoded(operations[i]).Length;
        }

        var buffer = new byte[checked((int)SizeOf(operations.Count, total))];
        buffer[0] = FormatVersion;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(1), operations.Count);
        var offset = HeaderSize;
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = encoded(operations[i]);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(offset), operation.Length);
            operation.CopyTo(buffer, offset + 4);
            offset += 4 + operation.Length;
        }

        return buffer;
    }

    /// <summary>Decodes the operations of the entry at <paramref name="lsn"/>: a batch, or a single operation (version 1).</summary>
    /// <exception cref="MalformedReplicatedOperationException">The payload is neither.</exception>
    public static IReadOnlyList<ReplicatedOperation> Decode(long lsn, ReadOnlyMemory<byte> payload)
    {
        var decoded = new List<DecodedOperation>();
        DecodeInto(lsn, payload, decoded, streamIds: null);
        return decoded.ConvertAll(d => new ReplicatedOperation(d.Kind, d.OperationId, d.StreamId, d.Version, d.Items));
    }

    /// <summary>
    /// Decodes the operations of the entry at <paramref name="lsn"/> as <see cref="Decode"/> does into
    /// <paramref name="operations"/> (cleared first), with stream ids from <paramref name="streamIds"/> when it holds them.
    /// Either the whole entry decodes or nothing is added: a malformed entry leaves <paramref name="operations"/> empty.
    /// </summary>
    /// <exception cref="MalformedReplicatedOperationException">The payload is neither a batch nor a single operation.</exception>
    internal static void DecodeInto(long lsn, ReadOnlyMemory<byte> payload, List<DecodedOperation> operations, StreamIdCache? streamIds)
    {
        operations.Clear();
        try
        {
            DecodeCore(lsn, payload, operations, streamIds);
        }
        catch (MalformedReplicatedOperationException)
        {
            operations.Clear();
            throw;
        }
    }

    private static void DecodeCore(long lsn, ReadOnlyMemory<byte> payload, List<DecodedOperation> operations, StreamIdCache? streamIds)
    {
        var span = payload.Span;
        if (span.Length == 0 || span[0] != FormatVersion)
        {
            operations.Add(ReplicatedOperation.DecodeFields(lsn, payload, streamIds));
            return;
        }

        if (span.Length < HeaderSize)
        {
            throw new MalformedReplicatedOperationException(lsn, $"{span.Length} bytes are fewer than a batch header's {HeaderSize}");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(span[1..]);
        if (count < 1 || count > (span.Length - HeaderSize) / 4)
        {
            throw new MalformedReplicatedOperationException(lsn, $"batch count {count} does not fit the {span.Length - HeaderSize} bytes left");
        }

        var offset = HeaderSize;
        for (var i = 0; i < count; i++)
        {
            var length = span.Length - offset >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(span[offset..]) : -1;
            if (length < 0 || length > span.Length - offset - 4)
            {
                throw new MalformedReplicatedOperationException(lsn, $"operation {i} of the batch of {count} runs past the payload's end");
            }

            operations.Add(ReplicatedOperation.DecodeFields(lsn, payload.Slice(offset + 4, length), streamIds));
            offset += 4 + length;
        }

        if (offset != span.Length)
        {
            throw new MalformedReplicatedOperationException(lsn, $"{span.Length - offset} bytes follow the batch's last operation");
        }
    }
}
