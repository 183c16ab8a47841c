using System.Buffers.Binary;
using Actors.Checksums;
using Actors.Wal.Format;
using Actors.Wal.Recovery;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Regression tests for crafted inputs whose checksums are valid (found by the crash suite's fuzzer): snapshot
/// counts bounded by the file size, record timestamps outside the DateTimeOffset range, snapshot offsets past the
/// end of a segment file.
/// </summary>
public sealed class CraftedInputRegressionTests : LogTestBase
{
    private const int SnapshotHeaderSize = 48;
    private const int SnapshotStreamSize = 39; // format 3, a stream with no older runs

    [Fact]
    public async Task TryParse_SegmentCountThatOnlyFitsWithoutTheStreams_ReturnsNullWithoutAllocatingIt()
    {
        byte[] snapshot = await CleanSnapshotAsync();
        BinaryPrimitives.WriteInt32LittleEndian(snapshot.AsSpan(36), 10_000_000);
        FixSnapshotCrc(snapshot);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var parsed = RecoverySnapshot.TryParse(snapshot, out string? reason);

        Assert.Null(parsed);
        Assert.Equal("counts out of range", reason);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024, "the segment count was used as a capacity");
    }

    [Fact]
    public async Task OpenAsync_SnapshotSegmentWriteOffsetBeyondTheFile_RefusesAndSalvageScansEverySegment()
    {
        byte[] snapshot = await CleanSnapshotAsync();
        int streamCount = BinaryPrimitives.ReadInt32LittleEndian(snapshot.AsSpan(32));
        int firstSegment = SnapshotHeaderSize + (streamCount * SnapshotStreamSize); // every stream lives in one segment
        BinaryPrimitives.WriteInt64LittleEndian(snapshot.AsSpan(firstSegment + 5), 10L * 1024 * 1024);
        FixSnapshotCrc(snapshot);
        File.WriteAllBytes(Dir.File(RecoverySnapshot.FileName), snapshot);

        // A checksum-valid snapshot claims acknowledged data the file does not hold: not a torn tail.
        var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync());
        Assert.Equal(Dir.Segments()[0], error.FilePath);

        await using var log = await OpenAsync(o => o.RecoveryMode = RecoveryMode.Salvage);

        Assert.Contains(log.GetStatistics().Recovery.Notes, n => n.Contains("write offset", StringComparison.Ordinal));
        Assert.Equal(2, (await log.ReadStreamAsync("a")).Version);
        Assert.Equal(1, (await log.ReadStreamAsync("b")).Version);
    }

    [Fact]
    public async Task ReadStreamAsync_RecordBeforeTheRecoveryPointWithOutOfRangeTimestamp_ThrowsLogCorruptedNamingFileAndOffset()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("a", 0, Events("one"));
        }

        string segment = Dir.Segments()[0];
        CorruptTimestamp(segment, SegmentHeader.Size, long.MaxValue);

        // The clean-shutdown snapshot is trusted, so recovery does not scan the record: the read must catch it.
        await using var reopened = await OpenAsync();
        var ex = await Assert.ThrowsAsync<LogCorruptedException>(async () => await reopened.ReadStreamAsync("a"));

        Assert.Equal(segment, ex.FilePath);
        Assert.Equal(SegmentHeader.Size, ex.Offset);
        Assert.Contains("timestamp", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_SalvageWithMidLogRecordWithNegativeTimestamp_SkipsItAndKeepsTheRest()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("a", 0, Events("one"));
            await log.AppendAsync("b", 0, Events("two"));
        }

        string segment = Dir.Segments()[0];
        CorruptTimestamp(segment, SegmentHeader.Size, -1);
        File.Delete(Dir.File(RecoverySnapshot.FileName));

        await using var salvaged = await OpenAsync(o => o.RecoveryMode = RecoveryMode.Salvage);

        Assert.Contains(salvaged.GetStatistics().Recovery.Notes, n => n.Contains("timestamp", StringComparison.Ordinal));
        Assert.Equal(0, (await salvaged.ReadStreamAsync("a")).Version);
        var b = await salvaged.ReadStreamAsync("b");
        Assert.Equal("two", Text(Assert.Single(b.Events).Payload));
    }

    private static void CorruptTimestamp(string segment, int recordOffset, long ticks)
    {
        byte[] bytes = File.ReadAllBytes(segment);
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(recordOffset));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(recordOffset + 32), ticks);
        RecordCodec.SealCrc(bytes.AsSpan(recordOffset, length), SegmentHeader.ReadRecordSalt(bytes));
        File.WriteAllBytes(segment, bytes);
    }

    private static void FixSnapshotCrc(byte[] snapshot)
        => BinaryPrimitives.WriteUInt32LittleEndian(snapshot.AsSpan(snapshot.Length - 4), Crc32C.Compute(snapshot.AsSpan(0, snapshot.Length - 4)));

    private async Task<byte[]> CleanSnapshotAsync()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("a", 0, Events("1", "2"));
            await log.AppendAsync("b", 0, Events("3"));
        }

        return File.ReadAllBytes(Dir.File(RecoverySnapshot.FileName));
    }
}
