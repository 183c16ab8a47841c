using System.Buffers.Binary;
using System.Text;
using Actors.Runtime;

namespace Actors.Streams.Storage;

/*
 * The records of a stream's subscription stream (stream:s:...) and the provider's directory (stream:d:...).
 * Little-endian; strings are a u16 UTF-8 length followed by the bytes.
 *
 * Subscription event:
 *   0  1  magic 0xB6
 *   1  1  format version (2)
 *   2  1  min compatible version (1; 2 when the record holds a gateway client's subscription)
 *   3  1  kind: 1 subscribe, 2 unsubscribe, 3 cursors
 *   subscribe:    16 id (Guid bytes) | 1 subscriber kind | string subscriber id (type/key) | 8 cursor
 *   unsubscribe:  16 id
 *   cursors:      4 count | count x (16 id | 8 cursor)
 *   Subscriber kind: 0 a grain's explicit subscription, 1 an implicit one, 2 (format 2) a gateway client's, whose
 *   subscriber id is $streamclient/{clientId}. A reader of format 1 refuses records holding kind 2 (min compatible 2)
 *   instead of delivering them to a grain that does not exist.
 *   A cursor is the sequence number of the last event the subscriber acknowledged (0: none). Replaying the events in
 *   version order rebuilds the table; a later record for an id replaces the earlier.
 *
 * Subscription checkpoint (the whole table, written every CheckpointEveryEvents events):
 *   0  1  magic 0xB7 | 1 version (2) | 2 min compatible (1; 2 with a client subscription) | 3 reserved (0)
 *   4  4  count, then count x (16 id | 1 subscriber kind | string subscriber id | 8 cursor)
 *
 * Directory event (one per stream the provider ever used):
 *   0  1  magic 0xB8 | 1 version (2) | 2 min compatible (1) | 3 reserved (0)
 *   4     string namespace | string key
 */

/// <summary>Encodes and decodes subscription records, checkpoints and directory records (layout above).</summary>
internal static class SubscriptionRecordCodec
{
    private const byte EventMagic = 0xB6;
    private const byte CheckpointMagic = 0xB7;
    private const byte DirectoryMagic = 0xB8;
    private const byte FormatVersion = 2;
    private const byte BaseVersion = 1;
    private const byte ExplicitSubscriber = 0;
    private const byte ImplicitSubscriber = 1;
    private const byte ClientSubscriber = 2;
    private const byte Subscribe = 1;
    private const byte Unsubscribe = 2;
    private const byte Cursors = 3;

    public static byte[] EncodeSubscribe(SubscriptionEntry entry)
    {
        var writer = new RecordWriter(EventMagic, Subscribe, MinVersionFor([entry]));
        writer.WriteEntry(entry);
        return writer.ToArray();
    }

    public static byte[] EncodeUnsubscribe(Guid id)
    {
        var writer = new RecordWriter(EventMagic, Unsubscribe);
        writer.WriteGuid(id);
        return writer.ToArray();
    }

    public static byte[] EncodeCursors(IReadOnlyCollection<KeyValuePair<Guid, long>> cursors)
    {
        var writer = new RecordWriter(EventMagic, Cursors);
        writer.WriteInt32(cursors.Count);
        foreach ((Guid id, long cursor) in cursors)
        {
            writer.WriteGuid(id);
            writer.WriteInt64(cursor);
        }

        return writer.ToArray();
    }

    public static byte[] EncodeCheckpoint(IReadOnlyCollection<SubscriptionEntry> entries)
    {
        var writer = new RecordWriter(CheckpointMagic, 0, MinVersionFor(entries));
        writer.WriteInt32(entries.Count);
        foreach (SubscriptionEntry entry in entries)
        {
            writer.WriteEntry(entry);
        }

        return writer.ToArray();
    }

    public static byte[] EncodeDirectory(StreamId streamId)
    {
        var writer = new RecordWriter(DirectoryMagic, 0);
        writer.WriteString(streamId.Namespace);
        writer.WriteString(streamId.Key);
        return writer.ToArray();
    }

    /// <summary>Applies one subscription event to <paramref name="table"/>.</summary>
    /// <exception cref="FormatException">The record is not a subscription event this version reads.</exception>
    public static void Apply(ReadOnlySpan<byte> record, string logStreamId, long version, Dictionary<Guid, SubscriptionEntry> table)
    {
        var reader = new RecordReader(record, EventMagic, logStreamId, version);
        switch (reader.Kind)
        {
            case Subscribe:
                SubscriptionEntry entry = reader.ReadEntry();
                table[entry.Id] = entry;
                break;
            case Unsubscribe:
                table.Remove(reader.ReadGuid());
                break;
            case Cursors:
                int count = reader.ReadInt32();
                for (int i = 0; i < count; i++)
                {
                    Guid id = reader.ReadGuid();
                    long cursor = reader.ReadInt64();
                    if (table.TryGetValue(id, out SubscriptionEntry? existing))
                    {
                        table[id] = existing with { Cursor = cursor };
                    }
                }

                break;
            default:
                throw reader.Invalid($"unknown kind {reader.Kind}");
        }
    }

    /// <exception cref="FormatException">The bytes are not a subscription checkpoint this version reads.</exception>
    public static void ReadCheckpoint(ReadOnlySpan<byte> state, string logStreamId, long version, Dictionary<Guid, SubscriptionEntry> table)
    {
        var reader = new RecordReader(state, CheckpointMagic, logStreamId, version);
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            SubscriptionEntry entry = reader.ReadEntry();
            table[entry.Id] = entry;
        }
    }

    /// <exception cref="FormatException">The bytes are not a directory record this version reads.</exception>
    public static StreamId ReadDirectory(ReadOnlySpan<byte> record, string logStreamId, long version)
    {
        var reader = new RecordReader(record, DirectoryMagic, logStreamId, version);
        string streamNamespace = reader.ReadString();
        return StreamId.Create(streamNamespace, reader.ReadString());
    }

    /// <summary>Format 2 only for records holding a client subscription, so older silos keep reading everything else.</summary>
    private static byte MinVersionFor(IEnumerable<SubscriptionEntry> entries)
        => entries.Any(e => Delivery.ClientSubscribers.IsClient(e.GrainId)) ? FormatVersion : BaseVersion;

    private sealed class RecordWriter
    {
        private readonly MemoryStream _buffer = new();

        public RecordWriter(byte magic, byte kind, byte minCompatibleVersion = BaseVersion)
        {
            _buffer.Write([magic, FormatVersion, minCompatibleVersion, kind]);
        }

        public void WriteGuid(Guid id)
        {
            Span<byte> bytes = stackalloc byte[16];
            id.TryWriteBytes(bytes);
            _buffer.Write(bytes);
        }

        public void WriteInt32(int value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            _buffer.Write(bytes);
        }

        public void WriteInt64(long value)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            _buffer.Write(bytes);
        }

        public void WriteString(string value)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            if (bytes.Length > ushort.MaxValue)
            {
                throw new ArgumentException($"'{value[..64]}...' is longer than {ushort.MaxValue} UTF-8 bytes.", nameof(value));
            }

            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)bytes.Length);
            _buffer.Write(length);
            _buffer.Write(bytes);
        }

        public void WriteEntry(SubscriptionEntry entry)
        {
            WriteGuid(entry.Id);
            _buffer.WriteByte(entry.IsImplicit ? ImplicitSubscriber : Delivery.ClientSubscribers.IsClient(entry.GrainId) ? ClientSubscriber : ExplicitSubscriber);
            WriteString(entry.GrainId.ToString());
            WriteInt64(entry.Cursor);
        }

        public byte[] ToArray() => _buffer.ToArray();
    }

    private ref struct RecordReader
    {
        private readonly ReadOnlySpan<byte> _record;
        private readonly string _logStreamId;
        private readonly long _version;
        private int _offset;

        public RecordReader(ReadOnlySpan<byte> record, byte magic, string logStreamId, long version)
        {
            _record = record;
            _logStreamId = logStreamId;
            _version = version;
            if (record.Length < 4 || record[0] != magic)
            {
                throw Invalid($"magic 0x{(record.Length > 0 ? record[0] : 0):X2}, expected 0x{magic:X2}");
            }

            if (record[2] > FormatVersion)
            {
                throw Invalid($"needs format {record[2]}; this reader knows {FormatVersion}");
            }

            Kind = record[3];
            _offset = 4;
        }

        public byte Kind { get; }

        public Guid ReadGuid() => new(Take(16));

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public string ReadString()
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
            return Encoding.UTF8.GetString(Take(length));
        }

        public SubscriptionEntry ReadEntry()
        {
            Guid id = ReadGuid();
            byte kind = Take(1)[0];
            GrainId subscriber = GrainId.Parse(ReadString());
            long cursor = ReadInt64();
            if (kind > ClientSubscriber || (kind == ClientSubscriber) != Delivery.ClientSubscribers.IsClient(subscriber))
            {
                throw Invalid($"subscriber kind {kind} does not fit subscriber {subscriber}");
            }

            return new SubscriptionEntry(id, subscriber, kind == ImplicitSubscriber, cursor);
        }

        public readonly FormatException Invalid(string detail)
            => new($"Record {_version} of log stream '{_logStreamId}' is not a valid stream subscription record: {detail}.");

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_offset + count > _record.Length)
            {
                throw Invalid("truncated");
            }

            ReadOnlySpan<byte> slice = _record.Slice(_offset, count);
            _offset += count;
            return slice;
        }
    }
}
