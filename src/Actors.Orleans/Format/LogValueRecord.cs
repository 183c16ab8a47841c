using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Actors.Orleans.Format;

/*
 * Log value record: the payload of one event or checkpoint record that the Orleans providers write to a stream of the
 * engine's log. The engine frames it (length, CRC32C, stream id, version, LSN); this envelope says what it holds and
 * which codec wrote it. All integers little-endian.
 *
 *   offset  size  field
 *   0       1     Magic 0xB1
 *   1       1     FormatVersion (1)
 *   2       1     MinCompatibleVersion (1): a reader older than this refuses the record
 *   3       1     Kind (LogValueKind: 1 state, 2 cleared state, 3 event, 4 snapshot, 5 journal reset)
 *   4       1     Codec (WalCodec: 0 none (a cleared state), 1 Orleans, 2 System.Text.Json, 3 MessagePack,
 *                 4 an IGrainStorageSerializer)
 *   5       1     Flags: bit 0 = the payload is Brotli-compressed; bit 1 = an Origin follows the type name; other bits 0
 *   6       2     T = length of TypeName in UTF-8 bytes (u16); 0 when the codec carries the type itself (Orleans)
 *   8       T     TypeName: the value's type as Orleans's TypeConverter formats it; with codec 4 the serializer's type
 *                 full name instead (the record is read only by that serializer)
 *   8+T     8     Origin (i64, only with flag bit 1; snapshots and resets of a journal cleared at least once): the stream
 *                 version at which the grain's version 0 begins (grain version = stream version - Origin)
 *   then    rest  Payload: the codec's bytes; when compressed: U (u32, the uncompressed length, at most 1 GiB), then
 *                 Brotli of the codec's bytes
 */

/// <summary>One decoded log value record. See the format comment at the top of this file.</summary>
/// <param name="Kind">What the record holds.</param>
/// <param name="Codec">The codec that wrote <paramref name="Payload"/>.</param>
/// <param name="TypeName">The value's type name, or "" when the codec carries the type itself.</param>
/// <param name="Payload">The codec's bytes (decompressed).</param>
public readonly record struct LogValueRecord(LogValueKind Kind, WalCodec Codec, string TypeName, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The first byte of every log value record.</summary>
    public const byte Magic = 0xB1;

    /// <summary>The format version this build writes.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The oldest reader version that can read what this build writes.</summary>
    public const byte MinCompatibleVersion = 1;

    /// <summary>The fixed bytes before the type name.</summary>
    public const int HeaderSize = 8;

    /// <summary>The flag bit of a Brotli-compressed payload.</summary>
    public const byte CompressedFlag = 0x01;

    /// <summary>The flag bit of a record carrying an <see cref="Origin"/>.</summary>
    public const byte OriginFlag = 0x02;

    /// <summary>For a journal's snapshot or reset: the stream version where the grain's version 0 begins; null for 0.</summary>
    public long? Origin { get; init; }

    /// <summary>The largest uncompressed payload a compressed record may claim (bounds what a reader allocates).</summary>
    public const int MaxUncompressedBytes = 1 << 30;

    private const int BrotliQuality = 4;
    private const int BrotliWindow = 22;

    /// <summary>
    /// Encodes the record into a new array; with <paramref name="compress"/> the payload is Brotli-compressed when that
    /// makes the record smaller (otherwise it is stored as it is, and the flag says so).
    /// </summary>
    /// <exception cref="ArgumentException">The type name is longer than 65,535 UTF-8 bytes.</exception>
    public byte[] ToArray(bool compress = false)
    {
        int typeNameBytes = Encoding.UTF8.GetByteCount(TypeName);
        if (typeNameBytes > ushort.MaxValue)
        {
            throw new ArgumentException($"The type name '{TypeName[..64]}...' is longer than {ushort.MaxValue} UTF-8 bytes.", nameof(TypeName));
        }

        byte originFlag = Origin is null ? (byte)0 : OriginFlag;
        int prefix = HeaderSize + typeNameBytes + (Origin is null ? 0 : 8);
        if (compress && Payload.Length > 64 && TryCompress(Payload.Span, out byte[] compressed, out int compressedLength)
            && 4 + compressedLength < Payload.Length)
        {
            byte[] packed = new byte[prefix + 4 + compressedLength];
            WriteHeader(packed, (byte)(CompressedFlag | originFlag), typeNameBytes);
            BinaryPrimitives.WriteUInt32LittleEndian(packed.AsSpan(prefix), (uint)Payload.Length);
            compressed.AsSpan(0, compressedLength).CopyTo(packed.AsSpan(prefix + 4));
            return packed;
        }

        byte[] buffer = new byte[prefix + Payload.Length];
        WriteHeader(buffer, originFlag, typeNameBytes);
        Payload.Span.CopyTo(buffer.AsSpan(prefix));
        return buffer;
    }

    /// <summary>Parses a record; the payload is a slice of <paramref name="source"/> (no copy) unless it was compressed.</summary>
    /// <param name="source">The record bytes.</param>
    /// <param name="record">The record when the result is true.</param>
    /// <param name="error">Why parsing failed when the result is false.</param>
    public static bool TryRead(ReadOnlyMemory<byte> source, out LogValueRecord record, out string error)
    {
        record = default;
        ReadOnlySpan<byte> span = source.Span;
        if (span.Length < HeaderSize)
        {
            error = $"a log value record needs at least {HeaderSize} bytes; this one has {span.Length}";
            return false;
        }

        if (span[0] != Magic)
        {
            error = $"the record does not start with the log value magic 0x{Magic:X2} (found 0x{span[0]:X2}); it was not written by the Orleans providers";
            return false;
        }

        if (span[2] > FormatVersion)
        {
            error = $"the record has format version {span[1]} and needs a reader of version {span[2]} or later; this build reads version {FormatVersion}";
            return false;
        }

        var kind = (LogValueKind)span[3];
        var codec = (WalCodec)span[4];
        byte flags = span[5];
        if (kind is not (LogValueKind.State or LogValueKind.ClearedState or LogValueKind.Event or LogValueKind.Snapshot or LogValueKind.JournalReset))
        {
            error = $"unknown log value kind {span[3]}";
            return false;
        }

        if ((flags & ~(CompressedFlag | OriginFlag)) != 0)
        {
            error = $"unknown flags 0x{flags:X2}";
            return false;
        }

        int typeNameBytes = BinaryPrimitives.ReadUInt16LittleEndian(span[6..]);
        if (span.Length - HeaderSize < typeNameBytes)
        {
            error = "the type name runs past the end of the record";
            return false;
        }

        string typeName = Encoding.UTF8.GetString(span.Slice(HeaderSize, typeNameBytes));
        int offset = HeaderSize + typeNameBytes;
        long? origin = null;
        if ((flags & OriginFlag) != 0)
        {
            if (span.Length - offset < 8)
            {
                error = "the origin runs past the end of the record";
                return false;
            }

            origin = BinaryPrimitives.ReadInt64LittleEndian(span[offset..]);
            offset += 8;
        }

        ReadOnlyMemory<byte> payload = source[offset..];
        if ((flags & CompressedFlag) != 0 && !TryDecompress(payload.Span, out payload, out error))
        {
            return false;
        }

        record = new LogValueRecord(kind, codec, typeName, payload) { Origin = origin };
        error = "";
        return true;
    }

    private void WriteHeader(Span<byte> destination, byte flags, int typeNameBytes)
    {
        destination[0] = Magic;
        destination[1] = FormatVersion;
        destination[2] = MinCompatibleVersion;
        destination[3] = (byte)Kind;
        destination[4] = (byte)Codec;
        destination[5] = flags;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)typeNameBytes);
        Encoding.UTF8.GetBytes(TypeName, destination.Slice(HeaderSize, typeNameBytes));
        if (Origin is { } origin)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination[(HeaderSize + typeNameBytes)..], origin);
        }
    }

    private static bool TryCompress(ReadOnlySpan<byte> plain, out byte[] compressed, out int length)
    {
        compressed = new byte[BrotliEncoder.GetMaxCompressedLength(plain.Length)];
        return BrotliEncoder.TryCompress(plain, compressed, out length, BrotliQuality, BrotliWindow);
    }

    private static bool TryDecompress(ReadOnlySpan<byte> packed, out ReadOnlyMemory<byte> plain, out string error)
    {
        plain = default;
        if (packed.Length < 4)
        {
            error = "a compressed payload needs its 4-byte length";
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(packed);
        if (length > MaxUncompressedBytes)
        {
            error = $"the compressed payload claims {length} bytes, more than the {MaxUncompressedBytes} a record may hold";
            return false;
        }

        byte[] buffer = new byte[length];
        if (!BrotliDecoder.TryDecompress(packed[4..], buffer, out int written) || written != length)
        {
            error = $"the compressed payload does not decompress to the {length} bytes it claims";
            return false;
        }

        plain = buffer;
        error = "";
        return true;
    }
}
