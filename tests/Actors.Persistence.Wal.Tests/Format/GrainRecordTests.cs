using Actors.Persistence.Wal.Format;

namespace Actors.Persistence.Wal.Tests.Format;

public sealed class GrainRecordTests
{
    [Theory]
    [InlineData(GrainRecordKind.JournalEvent, "", "account-deposited", "{\"amount\":1}")]
    [InlineData(GrainRecordKind.StateWrite, "profile", "", "{\"name\":\"ünï\"}")]
    [InlineData(GrainRecordKind.StateClear, "profile", "", "")]
    public void TryRead_WrittenRecord_RoundTrips(GrainRecordKind kind, string name, string typeName, string payload)
    {
        var record = new GrainRecord(kind, name, typeName, System.Text.Encoding.UTF8.GetBytes(payload));
        byte[] bytes = record.ToArray();

        Assert.Equal(record.Size, bytes.Length);
        Assert.True(GrainRecord.TryRead(bytes, out GrainRecord read, out string error), error);
        Assert.Equal(kind, read.Kind);
        Assert.Equal(name, read.Name);
        Assert.Equal(typeName, read.TypeName);
        Assert.Equal(payload, System.Text.Encoding.UTF8.GetString(read.Payload.Span));
    }

    [Fact]
    public void ToArray_Layout_MatchesDocumentedFormat()
    {
        byte[] bytes = new GrainRecord(GrainRecordKind.JournalEvent, "", "ab", new byte[] { 9 }).ToArray();
        Assert.Equal(new byte[] { 0xA7, 1, 1, 1, 0, 0, 2, 0, (byte)'a', (byte)'b', 9 }, bytes);
    }

    [Fact]
    public void TryRead_WrongMagic_Fails()
    {
        byte[] bytes = new GrainRecord(GrainRecordKind.JournalEvent, "", "x", new byte[] { 1 }).ToArray();
        bytes[0] = 0x00;
        Assert.False(GrainRecord.TryRead(bytes, out _, out string error));
        Assert.Contains("magic", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_NewerMinCompatibleVersion_Fails()
    {
        byte[] bytes = new GrainRecord(GrainRecordKind.JournalEvent, "", "x", new byte[] { 1 }).ToArray();
        bytes[1] = 4;
        bytes[2] = 3; // this build reads versions 1 and 2 (compressed records)
        Assert.False(GrainRecord.TryRead(bytes, out _, out string error));
        Assert.Contains("version 3 or later", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_TruncatedName_Fails()
    {
        byte[] bytes = new GrainRecord(GrainRecordKind.StateWrite, "profile", "", Array.Empty<byte>()).ToArray();
        Assert.False(GrainRecord.TryRead(bytes.AsMemory(0, 10), out _, out _));
    }

    [Fact]
    public void TryRead_UnknownKind_Fails()
    {
        byte[] bytes = new GrainRecord(GrainRecordKind.StateWrite, "p", "", Array.Empty<byte>()).ToArray();
        bytes[3] = 42;
        Assert.False(GrainRecord.TryRead(bytes, out _, out string error));
        Assert.Contains("42", error, StringComparison.Ordinal);
    }

    [Fact]
    public void GrainCheckpoint_WrittenEntries_RoundTrip()
    {
        CheckpointEntry[] entries =
        [
            new(GrainRecordKind.JournalEvent, "", 17, new byte[] { 1, 2, 3 }),
            new(GrainRecordKind.StateWrite, "profile", 12, new byte[] { 4 }),
            new(GrainRecordKind.StateClear, "audit", 15, ReadOnlyMemory<byte>.Empty),
        ];
        byte[] bytes = GrainCheckpoint.ToArray(entries);

        Assert.True(GrainCheckpoint.TryRead(bytes, out var read, out string error), error);
        Assert.Equal(3, read.Count);
        for (int i = 0; i < entries.Length; i++)
        {
            Assert.Equal(entries[i].Kind, read[i].Kind);
            Assert.Equal(entries[i].Name, read[i].Name);
            Assert.Equal(entries[i].Version, read[i].Version);
            Assert.Equal(entries[i].Payload.ToArray(), read[i].Payload.ToArray());
        }
    }

    [Fact]
    public void GrainCheckpoint_Truncated_Fails()
    {
        byte[] bytes = GrainCheckpoint.ToArray([new(GrainRecordKind.JournalEvent, "", 1, new byte[] { 1, 2, 3 })]);
        Assert.False(GrainCheckpoint.TryRead(bytes.AsMemory(0, bytes.Length - 1), out _, out string error));
        Assert.Contains("past the end", error, StringComparison.Ordinal);
    }
}
