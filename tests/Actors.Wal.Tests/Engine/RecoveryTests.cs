using Actors.Wal.Format;
using Actors.Wal.Recovery;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

public sealed class RecoveryTests : LogTestBase
{
    [Fact]
    public async Task OpenAsync_AfterCleanDispose_RestoresEverythingAndReportsCleanShutdown()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("a", 0, Events("1", "2"));
            await log.WriteCheckpointAsync("a", 2, Bytes("cp"));
            await log.AppendAsync("a", 2, Events("3"));
            await log.AppendAsync("b", 0, Events("x"));
            await log.DeleteStreamAsync("b", 1);
        }

        await using var reopened = await OpenAsync();
        var a = await reopened.ReadStreamAsync("a");
        var stats = reopened.GetStatistics();

        Assert.Equal("cp", Text(a.Checkpoint!.State));
        Assert.Equal([3L], a.Events.Select(e => e.Version));
        Assert.Equal(new StreamInfo(1, 0, true), reopened.GetStreamInfo("b"));
        Assert.True(stats.Recovery.CleanShutdown);
        Assert.Equal(0, stats.Recovery.RecordsScanned);
        Assert.Equal(2, stats.Recovery.Streams);
        Assert.Equal(6, reopened.WrittenLsn);
        var next = await reopened.AppendAsync("a", 3, Events("4"));
        Assert.Equal(7, next.LastLsn);
    }

    [Fact]
    public async Task OpenAsync_AfterAbandon_KeepsAcknowledgedAppendsAndIsNotClean()
    {
        var log = await OpenAsync();
        for (int i = 0; i < 10; i++)
        {
            await log.AppendAsync("s", i, Events($"e{i}"));
        }

        await log.AbandonAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await log.AppendAsync("s", 10, Events("late")));

        await using var reopened = await OpenAsync();
        var read = await reopened.ReadStreamAsync("s");
        Assert.Equal(10, read.Version);
        Assert.False(reopened.GetStatistics().Recovery.CleanShutdown);
        Assert.True(reopened.GetStatistics().Recovery.RecordsScanned >= 10);
    }

    [Fact]
    public async Task OpenAsync_TornTail_TruncatesAndReports()
    {
        await WriteSampleAsync();
        string segment = Dir.Segments()[^1];
        long validLength = new FileInfo(segment).Length;
        await using (var stream = new FileStream(segment, FileMode.Append))
        {
            // A torn record: a plausible header whose body never made it.
            byte[] torn = new byte[100];
            BitConverter.TryWriteBytes(torn, 400);
            torn[8] = 1;
            stream.Write(torn);
        }

        await using var log = await OpenAsync();
        var stats = log.GetStatistics().Recovery;

        Assert.Equal(100, stats.TruncatedBytes);
        Assert.Contains(stats.Notes, n => n.Contains("torn tail", StringComparison.Ordinal));
        Assert.Equal(validLength, new FileInfo(segment).Length);
        Assert.Equal(3, (await log.ReadStreamAsync("s")).Version);
        await log.AppendAsync("s", 3, Events("after"));
        Assert.Equal(4, (await log.ReadStreamAsync("s")).Version);
    }

    [Fact]
    public async Task OpenAsync_ZeroFilledTailOfPreallocatedSegment_IsNormalEnd()
    {
        await using (var log = await OpenAsync(o => o.PreallocateSegments = true))
        {
            await log.AppendAsync("s", 0, Events("1"));
        }

        await using var reopened = await OpenAsync(o => { o.PreallocateSegments = true; o.RecoveryMode = RecoveryMode.AbsoluteConsistency; });
        Assert.Equal(1, (await reopened.ReadStreamAsync("s")).Version);
        Assert.Equal(0, reopened.GetStatistics().Recovery.TruncatedBytes);
    }

    [Fact]
    public async Task OpenAsync_DamageBeforeValidRecords_ThrowsCorruptedAndLeavesFileUnchanged()
    {
        await WriteSampleAsync();
        string segment = Dir.Segments()[^1];
        DeleteSnapshot();
        FaultInjectingFileSystem.FlipBit(segment, SegmentHeader.Size + RecordHeader.Size + 2);
        byte[] before = File.ReadAllBytes(segment);

        var ex = await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync());

        Assert.Equal(segment, ex.FilePath);
        Assert.InRange(ex.Offset, SegmentHeader.Size, 64 * 1024);
        Assert.Contains("not a torn tail", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(segment));
    }

    [Fact]
    public async Task OpenAsync_AbsoluteConsistencyWithTornTail_Refuses()
    {
        await WriteSampleAsync();
        string segment = Dir.Segments()[^1];
        await using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write([7, 7, 7]);
        }

        byte[] before = File.ReadAllBytes(segment);
        await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync(o => o.RecoveryMode = RecoveryMode.AbsoluteConsistency));
        Assert.Equal(before, File.ReadAllBytes(segment));
    }

    [Fact]
    public async Task OpenAsync_SalvageWithCorruptRecord_SkipsItAndKeepsTheRest()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("a", 0, Events("a1"));
            await log.AppendAsync("b", 0, Events("b1"));
            await log.AppendAsync("c", 0, Events("c1"));
        }

        DeleteSnapshot();
        string segment = Dir.Segments()[^1];
        FaultInjectingFileSystem.FlipBit(segment, SegmentHeader.Size + RecordHeader.Size + 1);

        await using var salvaged = await OpenAsync(o => o.RecoveryMode = RecoveryMode.Salvage);
        var stats = salvaged.GetStatistics().Recovery;

        Assert.Equal(1, stats.CorruptedRecords);
        Assert.Equal(0, (await salvaged.ReadStreamAsync("a")).Version);
        Assert.Equal("b1", Text((await salvaged.ReadStreamAsync("b")).Events[0].Payload));
        Assert.Equal("c1", Text((await salvaged.ReadStreamAsync("c")).Events[0].Payload));
    }

    [Fact]
    public async Task ReadEventsAsync_SalvageSkippedTheSegmentOfLiveEvents_ThrowsCorruptionNamingSegmentAndOffset()
    {
        long version = 0;
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("s", version++, Events("first"));
            while (log.GetStatistics().SegmentCount < 2)
            {
                await log.AppendAsync("s", version++, [new byte[1000]]);
            }

            await log.AppendAsync("s", version++, Events("last"));
        }

        DeleteSnapshot();
        string first = Dir.Segments()[0];
        FaultInjectingFileSystem.FlipBit(first, 0); // bad magic in a segment that is not the last: salvage skips it

        await using var salvaged = await OpenAsync(o => o.RecoveryMode = RecoveryMode.Salvage);

        // No checkpoint ever covered version 1: it was lost, not reclaimed. The error names where it was.
        var ex = await Assert.ThrowsAsync<LogCorruptedException>(async () => await salvaged.ReadEventsAsync("s", 1, version));
        Assert.Equal(first, ex.FilePath);
        Assert.InRange(ex.Offset, SegmentHeader.Size, 64 * 1024);
        Assert.Contains("'s'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
        var read = await Assert.ThrowsAsync<LogCorruptedException>(async () => await salvaged.ReadStreamAsync("s"));
        Assert.Equal(first, read.FilePath);
    }

    [Fact]
    public async Task OpenAsync_UnknownFormatVersion_ThrowsNamingTheFile()
    {
        await WriteSampleAsync();
        string segment = Dir.Segments()[^1];
        byte[] header = new byte[SegmentHeader.Size];
        new SegmentHeader(1, 1, 0, 64 * 1024).Write(header, version: 9, minCompatibleVersion: 9);
        await using (var stream = new FileStream(segment, FileMode.Open))
        {
            stream.Write(header);
        }

        var ex = await Assert.ThrowsAsync<UnsupportedFormatVersionException>(async () => await OpenAsync());
        Assert.Equal(segment, ex.FilePath);
        Assert.Equal(9, ex.FileVersion);
        Assert.Contains(Path.GetFileName(segment), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_SecondOpener_ThrowsDirectoryLocked()
    {
        await using var first = await OpenAsync();
        var ex = await Assert.ThrowsAsync<LogDirectoryLockedException>(async () => await OpenAsync());
        Assert.Equal(Dir.File(WriteAheadLog.LockFileName), ex.LockFilePath);
    }

    [Fact]
    public async Task OpenAsync_AfterFirstClosed_LockIsReleased()
    {
        var first = await OpenAsync();
        await first.DisposeAsync();
        await using var second = await OpenAsync();
        Assert.False(second.IsFailed);
    }

    [Fact]
    public async Task OpenAsync_ReadOnly_ReadsWithoutLockAndRefusesWrites()
    {
        await WriteSampleAsync();
        string segment = Dir.Segments()[^1];
        await using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write([1, 2, 3]);
        }

        byte[] before = File.ReadAllBytes(segment);

        await using var reader = await OpenAsync(o => o.ReadOnly = true);
        Assert.Equal(3, (await reader.ReadStreamAsync("s")).Version);
        Assert.Equal(3, reader.GetStatistics().Recovery.TruncatedBytes);
        await Assert.ThrowsAsync<LogReadOnlyException>(async () => await reader.AppendAsync("s", 3, Events("x")));
        Assert.Equal(before, File.ReadAllBytes(segment));
    }

    [Fact]
    public async Task OpenAsync_WithSnapshot_SkipsSealedSegments()
    {
        await using (var log = await OpenAsync())
        {
            for (int i = 0; i < 60; i++)
            {
                await log.AppendAsync($"s{i % 5}", i / 5, [new byte[2000]]);
            }
        }

        Assert.True(Dir.Segments().Length >= 2);
        await using var reopened = await OpenAsync();
        var stats = reopened.GetStatistics().Recovery;

        Assert.Equal(Dir.Segments().Length, stats.Segments);
        Assert.Equal(1, stats.SegmentsScanned);
        Assert.Equal(12, (await reopened.ReadStreamAsync("s3")).Version);
    }

    [Fact]
    public async Task OpenAsync_DamagedSnapshot_FallsBackToScanningWithSameData()
    {
        await using (var log = await OpenAsync())
        {
            for (int i = 0; i < 60; i++)
            {
                await log.AppendAsync($"s{i % 5}", i / 5, [new byte[2000]]);
            }

            await log.WriteCheckpointAsync("s1", 10, Bytes("cp"));
        }

        FaultInjectingFileSystem.FlipBit(Dir.File(RecoverySnapshot.FileName), 50);

        await using var reopened = await OpenAsync();
        var stats = reopened.GetStatistics().Recovery;

        Assert.Equal(stats.Segments, stats.SegmentsScanned);
        Assert.False(stats.CleanShutdown);
        Assert.Contains(stats.Notes, n => n.Contains("checksum", StringComparison.Ordinal));
        var s1 = await reopened.ReadStreamAsync("s1");
        Assert.Equal(10, s1.Checkpoint!.Version);
        Assert.Equal([11L, 12L], s1.Events.Select(e => e.Version));
    }

    [Fact]
    public async Task OpenAsync_EmptyLastSegmentFromCrashDuringCreation_IsRemoved()
    {
        await WriteSampleAsync();
        DeleteSnapshot();
        string extra = Dir.File(SegmentHeader.FileName(2));
        File.WriteAllBytes(extra, new byte[10]);

        await using var log = await OpenAsync();

        Assert.Equal(3, (await log.ReadStreamAsync("s")).Version);
        Assert.Contains(log.GetStatistics().Recovery.Notes, n => n.Contains("creating", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenAsync_ZeroedTailOfLastRecord_IsTruncatedAsTornTail()
    {
        await WriteSampleAsync();
        DeleteSnapshot();
        string segment = Dir.Segments()[^1];
        long length = new FileInfo(segment).Length;
        FaultInjectingFileSystem.ZeroRange(segment, length - 10, 10);

        await using var log = await OpenAsync();

        Assert.Equal(2, (await log.ReadStreamAsync("s")).Version);
        Assert.True(log.GetStatistics().Recovery.TruncatedBytes > 0);
    }

    [Fact]
    public async Task OpenAsync_ZeroedRecordBeforeValidOnes_ThrowsCorrupted()
    {
        await WriteSampleAsync();
        DeleteSnapshot();
        string segment = Dir.Segments()[^1];
        FaultInjectingFileSystem.ZeroRange(segment, SegmentHeader.Size, 20);
        byte[] before = File.ReadAllBytes(segment);

        var ex = await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync());

        Assert.InRange(ex.Offset, SegmentHeader.Size, 64 * 1024);
        Assert.Equal(before, File.ReadAllBytes(segment));
    }

    private async Task WriteSampleAsync()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2"));
        await log.AppendAsync("s", 2, Events("3"));
    }

    private void DeleteSnapshot() => File.Delete(Dir.File(RecoverySnapshot.FileName));
}
