using System.Buffers.Binary;
using System.Text;
using Actors.Persistence.Wal.Format;

namespace Actors.Persistence.Wal.Tests.Format;

/// <summary>Compressed grain checkpoints (format version 2): round trip, when they are written, and damage reported.</summary>
public sealed class GrainCheckpointCompressionTests
{
    private static readonly CheckpointEntry[] Compressible =
    [
        new(GrainRecordKind.JournalEvent, "", 1000, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"sku\":\"SKU-00042\",\"quantity\":3,\"currency\":\"EUR\"},", 200)))),
        new(GrainRecordKind.StateWrite, "profile", 12, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("name=Ada;city=London;", 50)))),
        new(GrainRecordKind.StateClear, "audit", 15, ReadOnlyMemory<byte>.Empty),
    ];

    [Fact]
    public void ToArray_BrotliAndCompressibleState_WritesVersion2SmallerAndReadsTheSameEntries()
    {
        byte[] plain = GrainCheckpoint.ToArray(Compressible);
        byte[] compressed = GrainCheckpoint.ToArray(Compressible, RecordCompression.Brotli);

        Assert.Equal((GrainCheckpoint.Magic, GrainCheckpoint.CompressedFormatVersion, GrainCheckpoint.CompressedFormatVersion, GrainCheckpoint.CompressedFlag), (compressed[0], compressed[1], compressed[2], compressed[3]));
        Assert.True(compressed.Length < plain.Length / 4, $"{compressed.Length} compressed bytes for {plain.Length}");
        Assert.True(GrainCheckpoint.TryRead(compressed, out var read, out string error), error);
        Assert.Equal(Compressible.Length, read.Count);
        for (int i = 0; i < Compressible.Length; i++)
        {
            Assert.Equal((Compressible[i].Kind, Compressible[i].Name, Compressible[i].Version), (read[i].Kind, read[i].Name, read[i].Version));
            Assert.Equal(Compressible[i].Payload.ToArray(), read[i].Payload.ToArray());
        }
    }

    [Fact]
    public void ToArray_NoCompressionOrIncompressibleState_WritesVersion1ByteForByte()
    {
        var random = new Random(17);
        byte[] noise = new byte[4096];
        random.NextBytes(noise);
        CheckpointEntry[] incompressible = [new(GrainRecordKind.JournalEvent, "", 3, noise)];

        Assert.Equal(GrainCheckpoint.ToArray(Compressible), GrainCheckpoint.ToArray(Compressible, RecordCompression.None));
        Assert.Equal(GrainCheckpoint.ToArray(incompressible), GrainCheckpoint.ToArray(incompressible, RecordCompression.Brotli));
    }

    [Fact]
    public void TryRead_CutOrOversizedCompressedCheckpoint_FailsSayingSo()
    {
        // Brotli carries no checksum (the record CRC and, when on, AES-GCM guard the bytes): a cut stream is what it reports.
        byte[] compressed = GrainCheckpoint.ToArray(Compressible, RecordCompression.Brotli);
        Assert.False(GrainCheckpoint.TryRead(compressed.AsMemory(0, compressed.Length - 8), out _, out string error));
        Assert.Contains("compressed checkpoint is damaged", error, StringComparison.Ordinal);

        byte[] oversized = GrainCheckpoint.ToArray(Compressible, RecordCompression.Brotli);
        BinaryPrimitives.WriteUInt32LittleEndian(oversized.AsSpan(4), (1u << 30) + 1);
        Assert.False(GrainCheckpoint.TryRead(oversized, out _, out error));
        Assert.Contains("more than", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_CheckpointOfAFutureVersion_IsRefusedNamingTheVersions()
    {
        byte[] future = GrainCheckpoint.ToArray(Compressible);
        future[1] = 3;
        future[2] = 3;

        Assert.False(GrainCheckpoint.TryRead(future, out _, out string error));
        Assert.Contains("needs a reader of version 3", error, StringComparison.Ordinal);
    }
}
