using System.Buffers.Binary;
using System.Text;

namespace Actors.Streams.Storage;

/*
 * A queue record: the payload of one log event of a stream's queue (stream:q:...). Little-endian.
 *
 *   offset  size  field
 *   0       1     magic 0xB5
 *   1       1     format version (1)
 *   2       1     min compatible version (1): an older reader refuses the record
 *   3       1     kind: 1 item, 2 completed, 3 error (StreamRecordKind)
 *   4       2     T = type name length in UTF-8 bytes (item: "FullName, AssemblyName" of the item's runtime type;
 *                 error: the producer's exception type; completed: 0)
 *   6       T     type name
 *   6+T     rest  item: the grain serializer's bytes for the value as its runtime type; error: UTF-8 message;
 *                 completed: empty
 *
 * The item's sequence number is the log event's version in the queue stream; it is not repeated here.
 */

/// <summary>Encodes and decodes queue records (layout above).</summary>
internal static class StreamRecordCodec
{
    private const byte Magic = 0xB5;
    private const byte FormatVersion = 1;
    private const int HeaderSize = 6;

    public static byte[] Encode(StreamRecordKind kind, string typeName, ReadOnlySpan<byte> payload)
    {
        int nameLength = Encoding.UTF8.GetByteCount(typeName);
        if (nameLength > ushort.MaxValue)
        {
            throw new ArgumentException($"Type name '{typeName[..64]}...' is longer than {ushort.MaxValue} UTF-8 bytes.", nameof(typeName));
        }

        byte[] record = new byte[HeaderSize + nameLength + payload.Length];
        record[0] = Magic;
        record[1] = FormatVersion;
        record[2] = FormatVersion;
        record[3] = (byte)kind;
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(4), (ushort)nameLength);
        Encoding.UTF8.GetBytes(typeName, record.AsSpan(HeaderSize));
        payload.CopyTo(record.AsSpan(HeaderSize + nameLength));
        return record;
    }

    /// <exception cref="FormatException">The bytes are not a queue record this version reads.</exception>
    public static StreamRecord Decode(ReadOnlyMemory<byte> record, string logStreamId, long version)
    {
        ReadOnlySpan<byte> span = record.Span;
        if (span.Length < HeaderSize || span[0] != Magic)
        {
            throw new FormatException($"Record {version} of log stream '{logStreamId}' is not a stream queue record (magic 0x{(span.Length > 0 ? span[0] : 0):X2}).");
        }

        if (span[2] > FormatVersion)
        {
            throw new FormatException($"Record {version} of log stream '{logStreamId}' needs stream record format {span[2]}; this reader knows {FormatVersion}.");
        }

        var kind = (StreamRecordKind)span[3];
        if (kind is not (StreamRecordKind.Item or StreamRecordKind.Completed or StreamRecordKind.Error))
        {
            throw new FormatException($"Record {version} of log stream '{logStreamId}' has unknown kind {span[3]}.");
        }

        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(span[4..]);
        if (HeaderSize + nameLength > span.Length)
        {
            throw new FormatException($"Record {version} of log stream '{logStreamId}' is truncated.");
        }

        string typeName = Encoding.UTF8.GetString(span.Slice(HeaderSize, nameLength));
        return new StreamRecord(kind, typeName, record[(HeaderSize + nameLength)..]);
    }

    /// <summary>The name stored for an item's type: resolvable with <see cref="Type.GetType(string)"/>.</summary>
    public static string TypeNameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
