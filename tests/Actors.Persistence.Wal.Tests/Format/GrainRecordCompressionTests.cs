using System.Text;
using Actors.Persistence.Wal.Format;

namespace Actors.Persistence.Wal.Tests.Format;

public sealed class GrainRecordCompressionTests
{
    private static readonly byte[] Compressible = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"amount\":100,\"reference\":\"monthly salary\"},", 40)));

    [Theory]
    [InlineData(GrainRecordKind.JournalEvent, "", "account-deposited")]
    [InlineData(GrainRecordKind.StateWrite, "profile", "")]
    public void ToArray_BrotliOnACompressiblePayload_IsSmallerFlaggedVersion2AndRoundTrips(GrainRecordKind kind, string name, string typeName)
    {
        var record = new GrainRecord(kind, name, typeName, Compressible);

        byte[] bytes = GrainRecordCompression.ToArray(record, RecordCompression.Brotli);

        Assert.True(bytes.Length < record.Size / 4, $"{bytes.Length} bytes compressed vs {record.Size} plain");
        Assert.Equal((2, 2), (bytes[1], bytes[2])); // a version 1 reader (MinCompatibleVersion check) refuses it
        Assert.Equal(0x80 | (int)kind, bytes[3]);
        Assert.True(GrainRecord.TryRead(bytes, out GrainRecord read, out string error), error);
        Assert.Equal((kind, name, typeName), (read.Kind, read.Name, read.TypeName));
        Assert.Equal(Compressible, read.Payload.ToArray());
    }

    [Fact]
    public void ToArray_BrotliOnAnIncompressiblePayload_WritesTheVersion1Bytes()
    {
        byte[] random = new byte[64];
        new Random(3).NextBytes(random);
        var record = new GrainRecord(GrainRecordKind.JournalEvent, "", "x", random);

        Assert.Equal(record.ToArray(), GrainRecordCompression.ToArray(record, RecordCompression.Brotli));
    }

    [Fact]
    public void ToArray_CompressionNone_WritesTheVersion1Bytes()
    {
        var record = new GrainRecord(GrainRecordKind.JournalEvent, "", "x", Compressible);

        Assert.Equal(record.ToArray(), GrainRecordCompression.ToArray(record, RecordCompression.None));
    }

    [Fact]
    public void TryRead_DamagedCompressedPayload_FailsWithAReasonInsteadOfGarbage()
    {
        byte[] bytes = GrainRecordCompression.ToArray(new GrainRecord(GrainRecordKind.JournalEvent, "", "e", Compressible), RecordCompression.Brotli);
        bytes[^3] ^= 0x5A;

        Assert.False(GrainRecord.TryRead(bytes, out _, out string error));
        Assert.Contains("Brotli", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_ClaimedLengthAboveTheLimit_Fails()
    {
        byte[] bytes = GrainRecordCompression.ToArray(new GrainRecord(GrainRecordKind.JournalEvent, "", "e", Compressible), RecordCompression.Brotli);
        int lengthAt = GrainRecord.HeaderSize + 1; // after the header and the one-byte type name
        BitConverter.TryWriteBytes(bytes.AsSpan(lengthAt), uint.MaxValue);

        Assert.False(GrainRecord.TryRead(bytes, out _, out string error));
        Assert.Contains("uncompressed bytes", error, StringComparison.Ordinal);
    }
}
