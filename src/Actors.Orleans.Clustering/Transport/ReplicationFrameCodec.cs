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
        ReplicationFrameSender sender;
        try
        {
            sender = new ReplicationFrameSender(frame.ClusterId, frame.SenderSilo);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException(ex.Message, nameof(frame), ex);
        }

        return Encode(sender, frame.Partition, frame.SenderReplica, frame.TargetReplica, frame.Message);
    }

    /// <summary>Encodes a frame of <paramref name="sender"/> (fields encoded once per silo) into a new array that the caller owns.</summary>
    /// <exception cref="ArgumentException">A number is out of range, or <paramref name="senderReplica"/> is not the message's sender.</exception>
    public static byte[] Encode(ReplicationFrameSender sender, int partition, int senderReplica, int targetReplica, ReplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(message);
        byte[] clusterId = sender.ClusterIdBytes;
        byte[] silo = sender.SiloBytes;
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfLessThan(senderReplica, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetReplica, 1);
        if (message.From.Value != senderReplica)
        {
            throw new ArgumentException($"The message is from replica {message.From.Value}, the frame's sender is replica {senderReplica}.", nameof(message));
        }

        int messageLength = ReplicationMessageCodec.GetByteCount(message);
        var bytes = new byte[checked(FixedBytes + clusterId.Length + silo.Length + messageLength)];
        Span<byte> span = bytes;
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        span[4] = Version;
        int position = 5;
        position = WriteString(span, position, clusterId);
        position = WriteString(span, position, silo);
        BinaryPrimitives.WriteInt32LittleEndian(span[position..], partition);
        BinaryPrimitives.WriteInt32LittleEndian(span[(position + 4)..], senderReplica);
        BinaryPrimitives.WriteInt32LittleEndian(span[(position + 8)..], targetReplica);
        BinaryPrimitives.WriteInt32LittleEndian(span[(position + 12)..], messageLength);
        position += 16;
        ReplicationMessageCodec.Write(message, new FixedWriter(bytes, position, messageLength));
        position += messageLength;
        BinaryPrimitives.WriteUInt32LittleEndian(span[position..], Crc32C.Compute(span[..position]));
        return bytes;
    }

    /// <summary>Decodes the frame that fills <paramref name="bytes"/> exactly (payloads are copied: the result owns them).</summary>
    /// <exception cref="MalformedReplicationFrameException">The bytes are not a frame of this version (the message says which field and where).</exception>
    public static ReplicationFrame Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, ReadOnlyMemory<byte>.Empty, known: null);

    /// <summary>
    /// <see cref="Decode(ReadOnlySpan{byte})"/>, except that the payloads of an <see cref="AppendRequest"/>'s entries are
    /// slices of <paramref name="bytes"/> (<see cref="ReplicationMessageCodec.ReadSlicing"/>), not copies.
    /// </summary>
    /// <remarks>Ownership: the frame's message borrows <paramref name="bytes"/> for as long as it lives; the caller passes
    /// an array nobody writes or reuses from now on (a frame as Orleans delivered it: an array of its own, never pooled).
    /// With <paramref name="known"/>, sender fields seen before are taken from it rather than decoded again.</remarks>
    /// <exception cref="MalformedReplicationFrameException">The bytes are not a frame of this version (the message says which field and where).</exception>
    public static ReplicationFrame DecodeSlicing(ReadOnlyMemory<byte> bytes, KnownFrameSenders? known = null) => Decode(bytes.Span, bytes, known);

    private static ReplicationFrame Decode(ReadOnlySpan<byte> bytes, ReadOnlyMemory<byte> slicedFrom, KnownFrameSenders? known)
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
        string clusterId = known?.TryGetClusterId(StringBytes(body, position)) ?? ReadString(body, ref position, "ClusterId", MaxClusterIdBytes);
        if (ReferenceEquals(clusterId, known?.ClusterId))
        {
            position += 2 + StringBytes(body, position).Length;
        }

        int siloOffset = position;
        SiloAddress? silo = known?.TryGetSilo(StringBytes(body, position));
        if (silo is not null)
        {
            position += 2 + StringBytes(body, position).Length;
        }
        else
        {
            string siloText = ReadString(body, ref position, "sender silo", MaxSiloBytes);
            if (!SiloAddress.TryParse(siloText, out silo))
            {
                throw new MalformedReplicationFrameException($"sender silo '{siloText}' is not a silo address", siloOffset);
            }

            known?.Remember(body[(siloOffset + 2)..position], silo);
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

    /// <summary>The bytes of the length-prefixed string at <paramref name="position"/>, or empty when they do not fit (<see cref="ReadString"/> says why).</summary>
    private static ReadOnlySpan<byte> StringBytes(ReadOnlySpan<byte> body, int position)
    {
        if (body.Length - position < 2)
        {
            return [];
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(body[position..]);
        return length > body.Length - position - 2 ? [] : body.Slice(position + 2, length);
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
