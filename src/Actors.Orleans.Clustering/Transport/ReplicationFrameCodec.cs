using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Actors.Checksums;
using Actors.Replication.Messages;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Transport;

/*
 * Replication frame wire format: what one [OneWay] call of the replication transport carries between two silos
 * (IReplicaFrameService.Receive). All integers little-endian.
 *
 *   Frame := Magic:u32 | Version:u8
 *            | ClusterIdLength:u16 | ClusterId:UTF-8      the sender's Orleans ClusterId, 1..1024 bytes
 *            | SenderSiloLength:u16 | SenderSilo:UTF-8    SiloAddress.ToParsableString() of the sender, 1..256 bytes
 *            | Partition:i32                             >= 0
 *            | SenderReplica:i32                         > 0, equals the message's From
 *            | TargetReplica:i32                         > 0, the replica number the sender addressed
 *            | MessageLength:i32 | Message               ReplicationMessageCodec bytes, exactly to the checksum
 *            | Crc:u32                                   CRC32C of every byte before it
 *
 * Magic is 0x46505241 (the bytes "ARPF"). Version is 1; a reader accepts only the version it writes (the silos of one
 * cluster run one build of the transport). The checksum is checked first: a frame damaged anywhere is refused as such,
 * whatever field the damage hit. Any other violation (unknown magic or version, a length beyond the bytes present,
 * invalid UTF-8, an unparsable silo address, a negative partition, a replica number below 1, a message that does not
 * decode or whose From is not SenderReplica) is malformed too: MalformedReplicationFrameException names it and its offset.
 */

/// <summary>Encodes and decodes <see cref="ReplicationFrame"/>s (layout in the comment at the top of this file).</summary>
/// <remarks>Pure and thread-safe.</remarks>
internal static class ReplicationFrameCodec
{
    /// <summary>The frame's magic number (the bytes "ARPF").</summary>
    public const uint Magic = 0x46505241;

    /// <summary>The format version written and the only one read.</summary>
    public const byte Version = 1;

    /// <summary>The longest ClusterId accepted, in UTF-8 bytes.</summary>
    public const int MaxClusterIdBytes = 1024;

    /// <summary>The longest sender silo address accepted, in UTF-8 bytes.</summary>
    public const int MaxSiloBytes = 256;

    private const int FixedBytes = 4 + 1 + 2 + 2 + 4 + 4 + 4 + 4 + 4;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The smallest possible frame, in bytes (one-byte ClusterId and silo, an empty message).</summary>
    public const int MinFrameBytes = FixedBytes + 2;

    /// <summary>Encodes <paramref name="frame"/> into a new array that the caller owns.</summary>
    /// <exception cref="ArgumentException">The ClusterId or silo address is empty or too long, a number is out of range,
    /// or <see cref="ReplicationFrame.SenderReplica"/> is not the message's sender.</exception>
    public static byte[] Encode(ReplicationFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        byte[] clusterId = StrictUtf8.GetBytes(frame.ClusterId);
        byte[] silo = StrictUtf8.GetBytes(frame.SenderSilo.ToParsableString());
        if (clusterId.Length is 0 or > MaxClusterIdBytes)
        {
            throw new ArgumentException($"The ClusterId takes {clusterId.Length} UTF-8 bytes; a frame carries 1 to {MaxClusterIdBytes}.", nameof(frame));
        }

        if (silo.Length is 0 or > MaxSiloBytes)
        {
            throw new ArgumentException($"The silo address '{frame.SenderSilo}' takes {silo.Length} UTF-8 bytes; a frame carries 1 to {MaxSiloBytes}.", nameof(frame));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(frame.Partition, nameof(frame));
        ArgumentOutOfRangeException.ThrowIfLessThan(frame.SenderReplica, 1, nameof(frame));
        ArgumentOutOfRangeException.ThrowIfLessThan(frame.TargetReplica, 1, nameof(frame));
        if (frame.Message.From.Value != frame.SenderReplica)
        {
            throw new ArgumentException($"The message is from replica {frame.Message.From.Value}, the frame's sender is replica {frame.SenderReplica}.", nameof(frame));
        }

        int messageLength = ReplicationMessageCodec.GetByteCount(frame.Message);
        var bytes = new byte[checked(FixedBytes + clusterId.Length + silo.Length + messageLength)];
        Span<byte> span = bytes;
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        span[4] = Version;
        int position = 5;
        position = WriteString(span, position, clusterId);
        position = WriteString(span, position, silo);
        BinaryPrimitives.WriteInt32LittleEndian(span[position..], frame.Partition);
        BinaryPrimitives.WriteInt32LittleEndian(span[(position + 4)..], frame.SenderReplica);
        BinaryPrimitives.WriteInt32LittleEndian(span[(position + 8)..], frame.TargetReplica);
        BinaryPrimitives.WriteInt32LittleEndian(span[(position + 12)..], messageLength);
        position += 16;
        ReplicationMessageCodec.Write(frame.Message, new FixedWriter(bytes, position, messageLength));
        position += messageLength;
        BinaryPrimitives.WriteUInt32LittleEndian(span[position..], Crc32C.Compute(span[..position]));
        return bytes;
    }

    /// <summary>Decodes the frame that fills <paramref name="bytes"/> exactly (payloads are copied: the result owns them).</summary>
    /// <exception cref="MalformedReplicationFrameException">The bytes are not a frame of this version (the message says which field and where).</exception>
    public static ReplicationFrame Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, ReadOnlyMemory<byte>.Empty);

    /// <summary>
    /// <see cref="Decode(ReadOnlySpan{byte})"/>, except that the payloads of an <see cref="AppendRequest"/>'s entries are
    /// slices of <paramref name="bytes"/> (<see cref="ReplicationMessageCodec.ReadSlicing"/>), not copies.
    /// </summary>
    /// <remarks>Ownership: the frame's message borrows <paramref name="bytes"/> for as long as it lives; the caller passes
    /// an array nobody writes or reuses from now on (a frame as Orleans delivered it: an array of its own, never pooled).</remarks>
    /// <exception cref="MalformedReplicationFrameException">The bytes are not a frame of this version (the message says which field and where).</exception>
    public static ReplicationFrame DecodeSlicing(ReadOnlyMemory<byte> bytes) => Decode(bytes.Span, bytes);

    private static ReplicationFrame Decode(ReadOnlySpan<byte> bytes, ReadOnlyMemory<byte> slicedFrom)
    {
        if (bytes.Length < MinFrameBytes)
        {
            throw new MalformedReplicationFrameException($"{bytes.Length} bytes are fewer than the smallest frame ({MinFrameBytes})", 0);
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]);
        uint computed = Crc32C.Compute(bytes[..^4]);
        if (stored != computed)
        {
            throw new MalformedReplicationFrameException($"checksum {stored:X8} is not the frame's {computed:X8} (damaged or truncated)", bytes.Length - 4);
        }

        ReadOnlySpan<byte> body = bytes[..^4];
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(body);
        if (magic != Magic)
        {
            throw new MalformedReplicationFrameException($"magic {magic:X8} is not a replication frame's ({Magic:X8})", 0);
        }

        if (body[4] != Version)
        {
            throw new MalformedReplicationFrameException($"format version {body[4]} is not supported (only {Version})", 4);
        }

        int position = 5;
        string clusterId = ReadString(body, ref position, "ClusterId", MaxClusterIdBytes);
        int siloOffset = position;
        string siloText = ReadString(body, ref position, "sender silo", MaxSiloBytes);
        if (!SiloAddress.TryParse(siloText, out SiloAddress? silo))
        {
            throw new MalformedReplicationFrameException($"sender silo '{siloText}' is not a silo address", siloOffset);
        }

        if (body.Length - position < 16)
        {
            throw new MalformedReplicationFrameException($"needs 16 bytes of partition, replicas and message length, {body.Length - position} left", position);
        }

        int partition = BinaryPrimitives.ReadInt32LittleEndian(body[position..]);
        int sender = BinaryPrimitives.ReadInt32LittleEndian(body[(position + 4)..]);
        int target = BinaryPrimitives.ReadInt32LittleEndian(body[(position + 8)..]);
        int messageLength = BinaryPrimitives.ReadInt32LittleEndian(body[(position + 12)..]);
        if (partition < 0)
        {
            throw new MalformedReplicationFrameException($"partition is negative ({partition})", position);
        }

        if (sender < 1 || target < 1)
        {
            throw new MalformedReplicationFrameException($"replica numbers must be at least 1 (sender {sender}, target {target})", position + 4);
        }

        position += 16;
        if (messageLength != body.Length - position)
        {
            throw new MalformedReplicationFrameException($"message length {messageLength} is not the {body.Length - position} bytes before the checksum", position - 4);
        }

        ReplicationMessage message;
        try
        {
            message = slicedFrom.IsEmpty
                ? ReplicationMessageCodec.Read(body[position..])
                : ReplicationMessageCodec.ReadSlicing(slicedFrom[position..(bytes.Length - 4)]);
        }
        catch (MalformedReplicationMessageException ex)
        {
            throw new MalformedReplicationFrameException($"its message (partition {partition}, from replica {sender}) does not decode: {ex.Message}", position + ex.Offset, ex);
        }

        if (message.From.Value != sender)
        {
            throw new MalformedReplicationFrameException($"the message is from replica {message.From.Value}, the frame's sender is replica {sender}", position + 2);
        }

        return new ReplicationFrame(clusterId, partition, sender, target, silo, message);
    }

    private static int WriteString(Span<byte> span, int position, byte[] value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span[position..], (ushort)value.Length);
        value.CopyTo(span[(position + 2)..]);
        return position + 2 + value.Length;
    }

    private static string ReadString(ReadOnlySpan<byte> body, ref int position, string field, int maxBytes)
    {
        if (body.Length - position < 2)
        {
            throw new MalformedReplicationFrameException($"needs 2 bytes of {field} length, {body.Length - position} left", position);
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(body[position..]);
        if (length == 0 || length > maxBytes || length > body.Length - position - 2)
        {
            throw new MalformedReplicationFrameException($"{field} length {length} is not 1 to {maxBytes} bytes within the {body.Length - position - 2} left", position);
        }

        try
        {
            string value = StrictUtf8.GetString(body.Slice(position + 2, length));
            position += 2 + length;
            return value;
        }
        catch (DecoderFallbackException ex)
        {
            throw new MalformedReplicationFrameException($"{field} is not valid UTF-8", position + 2, ex);
        }
    }

    /// <summary>Lets the message codec write straight into the frame's array (exactly its reserved bytes).</summary>
    private sealed class FixedWriter(byte[] buffer, int start, int length) : IBufferWriter<byte>
    {
        private int _written;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(start + _written, length - _written);

        public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(start + _written, length - _written);
    }
}
