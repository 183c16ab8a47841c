using System.Buffers.Binary;
using System.IO.Compression;

namespace Actors.Persistence.Wal.Format;

/*
 * Compressed grain records (format version 2). A record whose payload Brotli shrinks is written as:
 *
 *   offset     size  field
 *   0          1     Magic 0xA7
 *   1          1     FormatVersion (2)
 *   2          1     MinCompatibleVersion (2): a version 1 reader refuses the record (never misreads it)
 *   3          1     Kind | 0x80 (the high bit: the payload is compressed)
 *   4..8+N+T         Name and TypeName, as in version 1
 *   8+N+T      4     U = the payload's uncompressed length (u32)
 *   12+N+T     rest  the payload, Brotli-compressed
 *
 * A payload Brotli does not shrink is written uncompressed, byte for byte as version 1 writes it.
 */

/// <summary>Brotli compression of grain record payloads (see the format comment at the top of this file).</summary>
public static class GrainRecordCompression
{
    /// <summary>The format version of a compressed record (also its minimum compatible reader version).</summary>
    public const byte CompressedVersion = 2;

    /// <summary>The bit of the kind byte that marks a compressed payload.</summary>
    public const byte CompressedFlag = 0x80;

    /// <summary>The largest uncompressed payload a compressed record may claim (bounds the buffer a reader allocates).</summary>
    public const int MaxUncompressedBytes = 1 << 30;

    /// <summary>Brotli quality: a middle setting that keeps per-record cost low (records are small and written on the append path).</summary>
    private const int Quality = 5;

    private const int Window = 22;

    /// <summary>
    /// Encodes <paramref name="record"/> compressed when <paramref name="compression"/> asks for it and Brotli shrinks the
    /// payload; otherwise exactly as <see cref="GrainRecord.ToArray"/> does.
    /// </summary>
    public static byte[] ToArray(GrainRecord record, RecordCompression compression)
    {
        if (compression == RecordCompression.None || record.Payload.IsEmpty)
        {
            return record.ToArray();
        }

        if (!TryCompress(record.Payload.Span, out byte[] compressed, out int length) || length + 4 >= record.Payload.Length)
        {
            return record.ToArray();
        }

        int plainSize = record.Size - record.Payload.Length;
        byte[] buffer = new byte[plainSize + 4 + length];
        int offset = new GrainRecord(record.Kind, record.Name, record.TypeName, ReadOnlyMemory<byte>.Empty).Write(buffer);
        buffer[1] = CompressedVersion;
        buffer[2] = CompressedVersion;
        buffer[3] |= CompressedFlag;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), (uint)record.Payload.Length);
        compressed.AsSpan(0, length).CopyTo(buffer.AsSpan(offset + 4));
        return buffer;
    }

    /// <summary>Brotli-compresses <paramref name="input"/> (the store's quality and window): the first <paramref name="length"/> bytes of <paramref name="compressed"/>.</summary>
    internal static bool TryCompress(ReadOnlySpan<byte> input, out byte[] compressed, out int length)
    {
        compressed = new byte[BrotliEncoder.GetMaxCompressedLength(input.Length)];
        return BrotliEncoder.TryCompress(input, compressed, out length, Quality, Window);
    }

    /// <summary>Decompresses the payload of a compressed record (<paramref name="stored"/>: the uncompressed length then the Brotli bytes).</summary>
    internal static bool TryDecompress(ReadOnlySpan<byte> stored, out byte[] payload, out string error)
    {
        payload = [];
        if (stored.Length < 4)
        {
            error = "a compressed grain record lacks its uncompressed length.";
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(stored);
        if (length > MaxUncompressedBytes)
        {
            error = $"a compressed grain record claims {length} uncompressed bytes, more than {MaxUncompressedBytes}.";
            return false;
        }

        payload = new byte[length];
        if (!BrotliDecoder.TryDecompress(stored[4..], payload, out int written) || written != length)
        {
            error = $"the Brotli payload of a compressed grain record does not decompress to its stated {length} bytes.";
            return false;
        }

        error = "";
        return true;
    }
}
