using System.Buffers;
using System.Buffers.Binary;
using Actors.Checksums;
using Actors.Replication.Messages;

namespace Actors.Replication.Tests.Messages;

/// <summary>
/// The checksum of a <see cref="CheckpointChunk"/> on the wire: the standard CRC32C (src/Actors.Wal.Files/Checksums/Crc32C.cs,
/// the repository's one) of every byte before the 4-byte trailer. A change of either side breaks mixed-version clusters.
/// </summary>
public sealed class ReplicationMessageChecksumTests
{
    [Fact]
    public void Write_CheckpointChunk_EndsWithTheStandardCrc32COfEveryPrecedingByte()
    {
        var chunk = new CheckpointChunk(new ReplicaId(7), 6, 40, 5, 44, 10, 0xDEADBEEF, 4, new byte[] { 1, 2, 3, 4, 5 });
        var buffer = new ArrayBufferWriter<byte>();
        ReplicationMessageCodec.Write(chunk, buffer);
        var bytes = buffer.WrittenSpan;

        Assert.Equal(Crc32C.Compute(bytes[..^4]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]));
        // The copy compiled into this assembly is the standard CRC32C (check value of "123456789", RFC 3720).
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }
}
