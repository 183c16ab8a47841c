using System.Buffers.Binary;
using System.Text;

namespace Actors.Persistence.Wal.Format;

/*
 * Grain record envelope: the payload of one event record of a grain's stream in the engine's log.
 * The engine frames it (length, CRC32C, stream id, version, LSN); this envelope says what it means.
 * All integers little-endian.
 *
 *   offset     size  field
 *   0          1     Magic 0xA7
 *   1          1     FormatVersion (1)
 *   2          1     MinCompatibleVersion (1): readers older than this must refuse the record
 *   3          1     Kind (GrainRecordKind: 1 journal event, 2 state write, 3 state clear)
 *   4          2     N = length of Name in UTF-8 bytes (u16); 0 for a journal event
 *   6          N     Name: the persistent-state name (UTF-8)
 *   6+N        2     T = length of TypeName in UTF-8 bytes (u16); 0 for state records
 *   8+N        T     TypeName: the event's stable type name (UTF-8; never a CLR type name)
 *   8+N+T      rest  Payload: the codec's bytes (empty for a state clear)
 *
 * Version 2 adds compressed records (GrainRecordCompression.cs): MinCompatibleVersion 2 and the high bit of Kind set.
 * Uncompressed records are still written as version 1.
 */

/// <summary>One decoded grain record envelope. See the format comment at the top of this file.</summary>
/// <param name="Kind">What the record holds.</param>
/// <param name="Name">The persistent-state name ("" for a journal event).</param>
/// <param name="TypeName">The event's stable type name ("" for state records).</param>
/// <param name="Payload">The codec's bytes.</param>
public readonly record struct GrainRecord(GrainRecordKind Kind, string Name, string TypeName, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The first byte of every grain record.</summary>
    public const byte Magic = 0xA7;

    /// <summary>The format version this build writes.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The oldest reader version that can read what this build writes.</summary>
    public const byte MinCompatibleVersion = 1;

    /// <summary>The fixed bytes around the name, type name and payload.</summary>
    public const int HeaderSize = 8;

    /// <summary>The encoded size in bytes.</summary>
    public int Size => HeaderSize + Encoding.UTF8.GetByteCount(Name) + Encoding.UTF8.GetByteCount(TypeName) + Payload.Length;

    /// <summary>Encodes the record into a new array.</summary>
    /// <exception cref="ArgumentException">The name or type name is longer than 65,535 UTF-8 bytes.</exception>
    public byte[] ToArray()
    {
        byte[] buffer = new byte[Size];
        Write(buffer);
        return buffer;
    }

    /// <summary>Writes the record to <paramref name="destination"/> (at least <see cref="Size"/> bytes).</summary>
    /// <returns>The bytes written.</returns>
    public int Write(Span<byte> destination)
    {
        destination[0] = Magic;
        destination[1] = FormatVersion;
        destination[2] = MinCompatibleVersion;
        destination[3] = (byte)Kind;
        int offset = 4;
        offset += WriteString(destination[offset..], Name);
        offset += WriteString(destination[offset..], TypeName);
        Payload.Span.CopyTo(destination[offset..]);
        return offset + Payload.Length;
    }

    /// <summary>Parses a record; the payload is a slice of <paramref name="source"/> (no copy), or a new array for a compressed record.</summary>
    /// <param name="source">The record bytes.</param>
    /// <param name="record">The record when the result is true.</param>
    /// <param name="error">Why parsing failed when the result is false.</param>
    public static bool TryRead(ReadOnlyMemory<byte> source, out GrainRecord record, out string error)
    {
        record = default;
        ReadOnlySpan<byte> span = source.Span;
        if (span.Length < HeaderSize)
        {
            error = $"a grain record needs at least {HeaderSize} bytes; this one has {span.Length}.";
            return false;
        }

        if (span[0] != Magic)
        {
            error = $"the record does not start with the grain record magic 0x{Magic:X2} (found 0x{span[0]:X2}).";
            return false;
        }

        if (span[2] > GrainRecordCompression.CompressedVersion)
        {
            error = $"the record has format version {span[1]} and needs a reader of version {span[2]} or later; this build reads version {GrainRecordCompression.CompressedVersion}.";
            return false;
        }

        bool compressed = (span[3] & GrainRecordCompression.CompressedFlag) != 0;
        var kind = (GrainRecordKind)(span[3] & ~GrainRecordCompression.CompressedFlag);
        if (kind is not (GrainRecordKind.JournalEvent or GrainRecordKind.StateWrite or GrainRecordKind.StateClear))
        {
            error = $"unknown grain record kind {span[3]}.";
            return false;
        }

        int offset = 4;
        if (!TryReadString(span, ref offset, out string name) || !TryReadString(span, ref offset, out string typeName))
        {
            error = "a length field runs past the end of the record.";
            return false;
        }

        ReadOnlyMemory<byte> payload = source[offset..];
        if (compressed)
        {
            if (!GrainRecordCompression.TryDecompress(payload.Span, out byte[] plain, out error))
            {
                return false;
            }

            payload = plain;
        }

        record = new GrainRecord(kind, name, typeName, payload);
        error = "";
        return true;
    }

    internal static int WriteString(Span<byte> destination, string value)
    {
        int length = Encoding.UTF8.GetBytes(value, destination[2..]);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"'{value[..32]}...' is longer than {ushort.MaxValue} UTF-8 bytes.", nameof(value));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)length);
        return 2 + length;
    }

    internal static bool TryReadString(ReadOnlySpan<byte> span, ref int offset, out string value)
    {
        value = "";
        if (span.Length - offset < 2)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);
        if (span.Length - offset - 2 < length)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(span.Slice(offset + 2, length));
        offset += 2 + length;
        return true;
    }
}
