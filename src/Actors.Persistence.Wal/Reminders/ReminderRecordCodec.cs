using System.Buffers.Binary;
using System.Text;
using Actors.Reminders;
using Actors.Runtime;

namespace Actors.Persistence.Wal.Reminders;

/*
 * Reminder rows in the write-ahead log, format version 1 (also described in docs/reminders.md).
 *
 * Partition p of a store's reminder table is the stream "reminders:{p}" (p in invariant decimal); the stream
 * "reminders:meta" holds one event with the partition count. No grain stream can collide with them: a grain's stream
 * is "type/key" and always contains '/', these never do. The engine frames and checksums every payload below.
 *
 * All integers are little-endian. Times are DateTime ticks (UTC); periods TimeSpan ticks.
 *   String  := ByteCount:u16 | UTF-8 bytes (strict)
 *
 * Events of a partition stream (every payload starts with FormatVersion:u8 = 1, then Kind:u8):
 *   Kind 1 Upsert  GrainId:String | Name:String | StartAt:i64 | Period:i64
 *                  The row's ETag is the stream version of this event, in invariant decimal; its last tick is cleared.
 *   Kind 2 Remove  GrainId:String | Name:String | ETag:String   (written only when the ETag matched)
 *   Kind 3 Tick    GrainId:String | Name:String | ETag:String | TickTime:i64
 *                  The registration ETag delivered the tick TickTime (written only when the ETag matched).
 * Checkpoint of a partition stream (the rows after the event at the checkpoint's version):
 *   FormatVersion:u8 = 1 | Count:u32 | Row * Count
 *   Row := GrainId:String | Name:String | StartAt:i64 | Period:i64 | ETag:String | HasTick:u8 (0/1) | TickTime:i64
 * Event of the meta stream:
 *   FormatVersion:u8 = 1 | PartitionCount:u32
 *
 * A payload with another format version, an unknown kind, a truncated field or bytes left over is refused with a
 * ReminderException naming the stream and version; nothing is skipped.
 */

/// <summary>Encodes and decodes the reminder records of the write-ahead log; the layout is spelled out at the top of this file.</summary>
internal static class ReminderRecordCodec
{
    /// <summary>The format version this build writes and reads.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The longest grain id or reminder name, in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] EncodeUpsert(GrainId grainId, string name, DateTime startAt, TimeSpan period)
    {
        var writer = new Writer(2 + Size(grainId.ToString()) + Size(name) + 16);
        writer.Header(ReminderRecordKind.Upsert);
        writer.String(grainId.ToString());
        writer.String(name);
        writer.Int64(startAt.Ticks);
        writer.Int64(period.Ticks);
        return writer.Complete();
    }

    public static byte[] EncodeRemove(GrainId grainId, string name, string eTag)
    {
        var writer = new Writer(2 + Size(grainId.ToString()) + Size(name) + Size(eTag));
        writer.Header(ReminderRecordKind.Remove);
        writer.String(grainId.ToString());
        writer.String(name);
        writer.String(eTag);
        return writer.Complete();
    }

    public static byte[] EncodeTick(GrainId grainId, string name, string eTag, DateTime tickTime)
    {
        var writer = new Writer(2 + Size(grainId.ToString()) + Size(name) + Size(eTag) + 8);
        writer.Header(ReminderRecordKind.Tick);
        writer.String(grainId.ToString());
        writer.String(name);
        writer.String(eTag);
        writer.Int64(tickTime.Ticks);
        return writer.Complete();
    }

    public static byte[] EncodeCheckpoint(IReadOnlyCollection<ReminderEntry> rows)
    {
        int size = 1 + 4;
        foreach (ReminderEntry row in rows)
        {
            size += Size(row.GrainId.ToString()) + Size(row.ReminderName) + 16 + Size(row.ETag) + 9;
        }

        var writer = new Writer(size);
        writer.Byte(FormatVersion);
        writer.UInt32((uint)rows.Count);
        foreach (ReminderEntry row in rows)
        {
            writer.String(row.GrainId.ToString());
            writer.String(row.ReminderName);
            writer.Int64(row.StartAt.Ticks);
            writer.Int64(row.Period.Ticks);
            writer.String(row.ETag);
            writer.Byte(row.LastTickTime is null ? (byte)0 : (byte)1);
            writer.Int64(row.LastTickTime?.Ticks ?? 0);
        }

        return writer.Complete();
    }

    public static byte[] EncodeMeta(int partitionCount)
    {
        var writer = new Writer(5);
        writer.Byte(FormatVersion);
        writer.UInt32((uint)partitionCount);
        return writer.Complete();
    }

    /// <summary>Applies one partition event to <paramref name="rows"/>.</summary>
    /// <exception cref="ReminderException">The payload is not a valid reminder event.</exception>
    public static void Apply(ReadOnlySpan<byte> payload, long version, string streamId, Dictionary<(GrainId, string), ReminderEntry> rows)
    {
        var reader = new Reader(payload, streamId, version);
        reader.ExpectVersion();
        var kind = (ReminderRecordKind)reader.Byte();
        GrainId grainId = reader.GrainId();
        string name = reader.String();
        switch (kind)
        {
            case ReminderRecordKind.Upsert:
                var startAt = new DateTime(reader.Int64(), DateTimeKind.Utc);
                var period = new TimeSpan(reader.Int64());
                reader.End();
                rows[(grainId, name)] = new ReminderEntry(grainId, name, startAt, period, ETagOf(version), null);
                break;
            case ReminderRecordKind.Remove:
                string removed = reader.String();
                reader.End();
                if (rows.TryGetValue((grainId, name), out ReminderEntry? current) && current.ETag == removed)
                {
                    rows.Remove((grainId, name));
                }

                break;
            case ReminderRecordKind.Tick:
                string eTag = reader.String();
                var tick = new DateTime(reader.Int64(), DateTimeKind.Utc);
                reader.End();
                if (rows.TryGetValue((grainId, name), out ReminderEntry? row) && row.ETag == eTag)
                {
                    rows[(grainId, name)] = row with { LastTickTime = tick };
                }

                break;
            default:
                throw reader.Invalid($"unknown record kind {(byte)kind}");
        }
    }

    /// <summary>Decodes a partition checkpoint into <paramref name="rows"/>.</summary>
    public static void ReadCheckpoint(ReadOnlySpan<byte> payload, long version, string streamId, Dictionary<(GrainId, string), ReminderEntry> rows)
    {
        var reader = new Reader(payload, streamId, version);
        reader.ExpectVersion();
        uint count = reader.UInt32();
        for (uint i = 0; i < count; i++)
        {
            GrainId grainId = reader.GrainId();
            string name = reader.String();
            var startAt = new DateTime(reader.Int64(), DateTimeKind.Utc);
            var period = new TimeSpan(reader.Int64());
            string eTag = reader.String();
            bool hasTick = reader.Byte() != 0;
            long tick = reader.Int64();
            rows[(grainId, name)] = new ReminderEntry(grainId, name, startAt, period, eTag, hasTick ? new DateTime(tick, DateTimeKind.Utc) : null);
        }

        reader.End();
    }

    /// <summary>Decodes the meta event: the partition count the table was created with.</summary>
    public static int ReadMeta(ReadOnlySpan<byte> payload, long version, string streamId)
    {
        var reader = new Reader(payload, streamId, version);
        reader.ExpectVersion();
        uint count = reader.UInt32();
        reader.End();
        return (int)count;
    }

    /// <summary>The ETag of the row written by the upsert at <paramref name="version"/>.</summary>
    public static string ETagOf(long version) => version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Throws when <paramref name="value"/> is too long to store.</summary>
    public static void EnsureStorable(string value, string what)
    {
        int bytes = StrictUtf8.GetByteCount(value);
        if (bytes > MaxStringBytes)
        {
            throw new ArgumentException($"The {what} '{value[..32]}...' is {bytes} UTF-8 bytes; reminders store at most {MaxStringBytes}.", what);
        }
    }

    private static int Size(string value) => 2 + StrictUtf8.GetByteCount(value);

    private ref struct Writer(int size)
    {
        private readonly byte[] _buffer = new byte[size];
        private int _position;

        public void Header(ReminderRecordKind kind)
        {
            Byte(FormatVersion);
            Byte((byte)kind);
        }

        public void Byte(byte value) => _buffer[_position++] = value;

        public void UInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position), value);
            _position += 4;
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), value);
            _position += 8;
        }

        public void String(string value)
        {
            int count = StrictUtf8.GetBytes(value, _buffer.AsSpan(_position + 2));
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_position), checked((ushort)count));
            _position += 2 + count;
        }

        public readonly byte[] Complete() => _position == _buffer.Length
            ? _buffer
            : throw new InvalidOperationException($"Reminder record size mismatch: computed {_buffer.Length}, wrote {_position}.");
    }

    private ref struct Reader(ReadOnlySpan<byte> payload, string streamId, long version)
    {
        private ReadOnlySpan<byte> _rest = payload;

        public void ExpectVersion()
        {
            byte format = Byte();
            if (format != FormatVersion)
            {
                throw Invalid($"format version {format}; this build reads version {FormatVersion}");
            }
        }

        public byte Byte() => Take(1, "byte")[0];

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "u32"));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8, "i64"));

        public string String()
        {
            int count = BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "string length"));
            ReadOnlySpan<byte> bytes = Take(count, "string");
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Invalid("a string field is not valid UTF-8");
            }
        }

        public GrainId GrainId()
        {
            string text = String();
            try
            {
                return Actors.GrainId.Parse(text);
            }
            catch (FormatException)
            {
                throw Invalid($"'{text}' is not a grain id");
            }
        }

        public readonly void End()
        {
            if (!_rest.IsEmpty)
            {
                throw Invalid($"{_rest.Length} unexpected bytes after the last field");
            }
        }

        public readonly ReminderException Invalid(string reason)
            => new($"Reminder record at version {version} of stream '{streamId}' is not valid: {reason}. The stored data was not modified.");

        private ReadOnlySpan<byte> Take(int count, string field)
        {
            if (count > _rest.Length)
            {
                throw Invalid($"truncated {field} field: needs {count} bytes, {_rest.Length} left");
            }

            ReadOnlySpan<byte> taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }
    }
}
