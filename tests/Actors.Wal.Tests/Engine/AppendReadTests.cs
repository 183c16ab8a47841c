using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

public sealed class AppendReadTests : LogTestBase
{
    [Fact]
    public async Task AppendAsync_NewStream_AssignsVersionsFromOneAndMonotonicLsns()
    {
        await using var log = await OpenAsync();
        var first = await log.AppendAsync("a", ExpectedVersion.NoStream, Events("e1", "e2"));
        var second = await log.AppendAsync("b", ExpectedVersion.Any, Events("x"));
        var third = await log.AppendAsync("a", 2, Events("e3"));

        Assert.Equal(new AppendResult(1, 2, 2), first);
        Assert.Equal(new AppendResult(1, 1, 3), second);
        Assert.Equal(new AppendResult(3, 3, 4), third);
        Assert.Equal(4, log.WrittenLsn);
        Assert.Equal(4, log.DurableLsn);

        var read = await log.ReadStreamAsync("a");
        Assert.Equal(["e1", "e2", "e3"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal([1L, 2L, 3L], read.Events.Select(e => e.Version));
        Assert.Equal([1L, 2L, 4L], read.Events.Select(e => e.Lsn));
        Assert.Equal(3, read.Version);
        Assert.Null(read.Checkpoint);
    }

    [Fact]
    public async Task AppendAsync_WrongExpectedVersion_ThrowsConflictAndWritesNothing()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("one"));
        long lsnBefore = log.WrittenLsn;
        long bytesBefore = log.GetStatistics().AppendedBytes;

        var ex = await Assert.ThrowsAsync<StreamVersionConflictException>(async () => await log.AppendAsync("s", 0, Events("two")));

        Assert.Equal(0, ex.ExpectedVersion);
        Assert.Equal(1, ex.ActualVersion);
        Assert.Equal(lsnBefore, log.WrittenLsn);
        Assert.Equal(bytesBefore, log.GetStatistics().AppendedBytes);
        Assert.Single((await log.ReadStreamAsync("s")).Events);
    }

    [Fact]
    public async Task AppendAsync_InvalidArguments_RejectedBeforeWriting()
    {
        await using var log = await OpenAsync();
        await Assert.ThrowsAsync<InvalidStreamIdException>(async () => await log.AppendAsync("", 0, Events("x")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await log.AppendAsync("s", 0, []));
        await Assert.ThrowsAsync<RecordTooLargeException>(async () => await log.AppendAsync("s", 0, [new byte[16 * 1024 + 1]]));
        Assert.Equal(0, log.WrittenLsn);
    }

    [Fact]
    public async Task ReadStreamAsync_UnknownStream_ReturnsEmptyVersionZero()
    {
        await using var log = await OpenAsync();
        var read = await log.ReadStreamAsync("nobody");
        Assert.Empty(read.Events);
        Assert.Equal(0, read.Version);
        Assert.False(read.IsDeleted);
        Assert.Equal(StreamInfo.Empty, log.GetStreamInfo("nobody"));
    }

    [Fact]
    public async Task ReadStreamAsync_AfterCheckpoint_ReturnsCheckpointPlusLaterEvents()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2", "3"));
        await log.WriteCheckpointAsync("s", 3, Bytes("state@3"));
        await log.AppendAsync("s", 3, Events("4", "5"));

        var read = await log.ReadStreamAsync("s");

        Assert.NotNull(read.Checkpoint);
        Assert.Equal(3, read.Checkpoint.Version);
        Assert.Equal("state@3", Text(read.Checkpoint.State));
        Assert.Equal(["4", "5"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal(5, read.Version);
        Assert.Equal(new StreamInfo(5, 3, false), log.GetStreamInfo("s"));
    }

    [Fact]
    public async Task ReadStreamAsync_CheckpointBelowLatestVersion_IncludesEventsWrittenBeforeIt()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2", "3", "4"));
        await log.WriteCheckpointAsync("s", 2, Bytes("state@2"));

        var read = await log.ReadStreamAsync("s");

        Assert.Equal(2, read.Checkpoint!.Version);
        Assert.Equal([3L, 4L], read.Events.Select(e => e.Version));
    }

    [Fact]
    public async Task ReadStreamAsync_AtVersion_PicksNewestCheckpointAtOrBelowBound()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2"));
        await log.WriteCheckpointAsync("s", 2, Bytes("cp2"));
        await log.AppendAsync("s", 2, Events("3", "4", "5"));
        await log.WriteCheckpointAsync("s", 5, Bytes("cp5"));
        await log.AppendAsync("s", 5, Events("6"));

        var at4 = await log.ReadStreamAsync("s", ReadBound.AtVersion(4));
        var at1 = await log.ReadStreamAsync("s", ReadBound.AtVersion(1));
        var at5 = await log.ReadStreamAsync("s", ReadBound.AtVersion(5));

        Assert.Equal("cp2", Text(at4.Checkpoint!.State));
        Assert.Equal([3L, 4L], at4.Events.Select(e => e.Version));
        Assert.Equal(4, at4.Version);
        Assert.Null(at1.Checkpoint);
        Assert.Equal([1L], at1.Events.Select(e => e.Version));
        Assert.Equal("cp5", Text(at5.Checkpoint!.State));
        Assert.Empty(at5.Events);
    }

    [Fact]
    public async Task ReadStreamAsync_AtTime_UsesAppendTimestamps()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var log = await OpenAsync(time: time);
        var t0 = time.GetUtcNow();
        await log.AppendAsync("s", 0, Events("1", "2"));
        time.Advance(TimeSpan.FromMinutes(1));
        await log.WriteCheckpointAsync("s", 2, Bytes("cp2"));
        time.Advance(TimeSpan.FromMinutes(1));
        await log.AppendAsync("s", 2, Events("3"));
        time.Advance(TimeSpan.FromMinutes(1));
        await log.AppendAsync("s", 3, Events("4"));

        var atStart = await log.ReadStreamAsync("s", ReadBound.AtTime(t0));
        var atCheckpoint = await log.ReadStreamAsync("s", ReadBound.AtTime(t0 + TimeSpan.FromMinutes(1)));
        var atThird = await log.ReadStreamAsync("s", ReadBound.AtTime(t0 + TimeSpan.FromSeconds(150)));
        var beforeAll = await log.ReadStreamAsync("s", ReadBound.AtTime(t0 - TimeSpan.FromSeconds(1)));

        Assert.Null(atStart.Checkpoint);
        Assert.Equal([1L, 2L], atStart.Events.Select(e => e.Version));
        Assert.Equal(t0, atStart.Events[0].Timestamp);
        Assert.Equal(2, atCheckpoint.Checkpoint!.Version);
        Assert.Empty(atCheckpoint.Events);
        Assert.Equal(2, atThird.Checkpoint!.Version);
        Assert.Equal([3L], atThird.Events.Select(e => e.Version));
        Assert.Empty(beforeAll.Events);
        Assert.Equal(0, beforeAll.Version);
    }

    [Fact]
    public async Task WriteCheckpointAsync_VersionOutOfRange_ThrowsAndWritesNothing()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2", "3"));
        await log.WriteCheckpointAsync("s", 2, Bytes("cp"));
        long lsn = log.WrittenLsn;

        await Assert.ThrowsAsync<CheckpointVersionOutOfRangeException>(async () => await log.WriteCheckpointAsync("s", 4, Bytes("x")));
        await Assert.ThrowsAsync<CheckpointVersionOutOfRangeException>(async () => await log.WriteCheckpointAsync("s", 1, Bytes("x")));
        await Assert.ThrowsAsync<CheckpointVersionOutOfRangeException>(async () => await log.WriteCheckpointAsync("unknown", 1, Bytes("x")));
        Assert.Equal(lsn, log.WrittenLsn);
    }

    [Fact]
    public async Task DeleteStreamAsync_ThenAppend_VersionNeverGoesBack()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2"));
        await log.WriteCheckpointAsync("s", 2, Bytes("cp"));
        var deleted = await log.DeleteStreamAsync("s", 2);

        Assert.Equal(2, deleted.LastVersion);
        var afterDelete = await log.ReadStreamAsync("s");
        Assert.True(afterDelete.IsDeleted);
        Assert.Empty(afterDelete.Events);
        Assert.Null(afterDelete.Checkpoint);
        Assert.Equal(2, afterDelete.Version);
        Assert.Equal(new StreamInfo(2, 0, true), log.GetStreamInfo("s"));
        await Assert.ThrowsAsync<StreamVersionConflictException>(async () => await log.AppendAsync("s", 0, Events("again")));

        var appended = await log.AppendAsync("s", 2, Events("3"));
        var read = await log.ReadStreamAsync("s");

        Assert.Equal(3, appended.FirstVersion);
        Assert.False(read.IsDeleted);
        Assert.Null(read.Checkpoint);
        Assert.Equal([3L], read.Events.Select(e => e.Version));
        var beforeDelete = await log.ReadStreamAsync("s", ReadBound.AtVersion(1));
        Assert.Equal([1L], beforeDelete.Events.Select(e => e.Version));
    }

    [Fact]
    public async Task ReadEventsAsync_RangeIgnoresCheckpoints()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2", "3"));
        await log.WriteCheckpointAsync("s", 3, Bytes("cp"));
        await log.AppendAsync("s", 3, Events("4", "5"));

        var range = await log.ReadEventsAsync("s", 2, 4);
        var clipped = await log.ReadEventsAsync("s", 4, 100);

        Assert.Equal([2L, 3L, 4L], range.Select(e => e.Version));
        Assert.Equal([4L, 5L], clipped.Select(e => e.Version));
        Assert.Empty(await log.ReadEventsAsync("s", 3, 2));
    }

    [Fact]
    public async Task GetStreamInfo_AfterDispose_ThrowsObjectDisposed()
    {
        var log = await OpenAsync();
        await log.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => log.GetStreamInfo("s"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await log.AppendAsync("s", 0, Events("x")));
    }

    [Fact]
    public async Task AppendAsync_ManyConcurrentStreams_AllReadBack()
    {
        await using var log = await OpenAsync(o => o.SegmentSizeBytes = 1024 * 1024);
        var tasks = Enumerable.Range(0, 32).Select(async w =>
        {
            for (int i = 0; i < 20; i++)
            {
                await log.AppendAsync($"stream-{w}", i, Events($"{w}:{i}"));
            }
        });
        await Task.WhenAll(tasks);

        for (int w = 0; w < 32; w++)
        {
            var read = await log.ReadStreamAsync($"stream-{w}");
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{w}:{i}"), read.Events.Select(e => Text(e.Payload)));
        }

        Assert.Equal(640, log.WrittenLsn);
    }
}
