using System.Buffers;
using System.Buffers.Binary;
using Actors.Replication;
using Actors.Replication.Messages;

namespace Actors.Cluster.Replication;

/*
 * Payload of a SiloMessageType.Replication request. All integers little-endian.
 *
 *   offset size field
 *   0      1    Version    1
 *   1      4    Partition  the partition whose log the two replicas hold
 *   5      4    From       the sending replica's number
 *   9      4    To         the receiving replica's number (checked against the replica the receiving silo hosts)
 *   13     n    Message    ReplicationMessageCodec bytes (layout in ReplicationMessageCodec.cs)
 */

/// <summary>Frames replication messages for the silo transport (layout above).</summary>
internal static class ReplicationFrame
{
    public const byte Version = 1;
    public const int HeaderSize = 13;

    public static byte[] Write(int partition, ReplicaId from, ReplicaId to, ReplicationMessage message)
    {
        var writer = new ArrayBufferWriter<byte>(HeaderSize + ReplicationMessageCodec.GetByteCount(message));
        var header = writer.GetSpan(HeaderSize);
        header[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(header[1..], partition);
        BinaryPrimitives.WriteInt32LittleEndian(header[5..], from.Value);
        BinaryPrimitives.WriteInt32LittleEndian(header[9..], to.Value);
        writer.Advance(HeaderSize);
        ReplicationMessageCodec.Write(message, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <exception cref="MalformedReplicationMessageException">The frame is short, of an unknown version, or its message does not decode.</exception>
    public static (int Partition, ReplicaId From, ReplicaId To, ReplicationMessage Message) Read(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < HeaderSize)
        {
            throw new MalformedReplicationMessageException($"a replication frame of {frame.Length} bytes is shorter than its {HeaderSize}-byte header", 0);
        }

        if (frame[0] != Version)
        {
            throw new MalformedReplicationMessageException($"replication frame version {frame[0]} is not {Version}", 0);
        }

        return (
            BinaryPrimitives.ReadInt32LittleEndian(frame[1..]),
            new ReplicaId(BinaryPrimitives.ReadInt32LittleEndian(frame[5..])),
            new ReplicaId(BinaryPrimitives.ReadInt32LittleEndian(frame[9..])),
            ReplicationMessageCodec.Read(frame[HeaderSize..]));
    }
}
