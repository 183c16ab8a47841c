namespace Actors.Wal.Tests.Conformance;

/// <summary>Tombstones: empty reads, the version never going back, recreation, history before the delete.</summary>
public abstract partial class EventLogConformanceTests
{
    [Fact]
    public async Task DeleteStreamAsync_ThenRead_ReturnsEmptyDeletedStreamWithVersionKept()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 4);
        await log.WriteCheckpointAsync("s", 3, Bytes("state@3"));

        var deleted = await log.DeleteStreamAsync("s", 4);

        Assert.Equal((4L, 4L), (deleted.FirstVersion, deleted.LastVersion));
        Assert.True(deleted.LastLsn > 0 && deleted.LastLsn <= log.WrittenLsn, $"tombstone LSN {deleted.LastLsn} must be positive and written ({log.WrittenLsn})");
        AssertRead(await log.ReadStreamAsync("s"), null, null, 1, [], 4, isDeleted: true);
        Assert.Equal(new StreamInfo(4, 0, true), log.GetStreamInfo("s"));
    }

    [Fact]
    public async Task DeleteStreamAsync_ThenAppendExpectingDeletedVersion_ContinuesNumbering()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);
        await log.WriteCheckpointAsync("s", 2, Bytes("state@2"));
        await log.DeleteStreamAsync("s", 3);

        var appended = await log.AppendAsync("s", 3, Batch("p4", "p5"));

        Assert.Equal((4L, 5L), (appended.FirstVersion, appended.LastVersion));
        AssertRead(await log.ReadStreamAsync("s"), null, null, 4, ["p4", "p5"], 5);
        Assert.Equal(new StreamInfo(5, 0, false), log.GetStreamInfo("s"));
    }

    [Fact]
    public async Task AppendAsync_AfterDeletionExpectingNoStream_ThrowsConflict()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);
        await log.DeleteStreamAsync("s", 3);

        var ex = await Assert.ThrowsAsync<StreamVersionConflictException>(() => log.AppendAsync("s", ExpectedVersion.NoStream, Batch("x")).AsTask());

        Assert.Equal(3, ex.ActualVersion);
        Assert.Equal(new StreamInfo(3, 0, true), log.GetStreamInfo("s"));
    }

    [Fact]
    public async Task AppendAsync_AfterDeletionWithAny_ContinuesNumbering()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 2);
        await log.DeleteStreamAsync("s", ExpectedVersion.Any);

        var appended = await log.AppendAsync("s", ExpectedVersion.Any, Batch("p3"));

        Assert.Equal(3, appended.FirstVersion);
    }

    [Fact]
    public async Task DeleteStreamAsync_WrongExpectedVersion_ThrowsConflictAndStreamIntact()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);
        long lsnBefore = log.WrittenLsn;

        var ex = await Assert.ThrowsAsync<StreamVersionConflictException>(() => log.DeleteStreamAsync("s", 2).AsTask());

        Assert.Equal(2, ex.ExpectedVersion);
        Assert.Equal(3, ex.ActualVersion);
        Assert.Equal(lsnBefore, log.WrittenLsn);
        AssertRead(await log.ReadStreamAsync("s"), null, null, 1, Numbered(1, 3), 3);
    }

    [Fact]
    public async Task DeleteStreamAsync_RepeatedDeletesAndRecreation_HighestVersionNeverGoesBack()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);
        await log.DeleteStreamAsync("s", 3);
        await log.DeleteStreamAsync("s", 3);
        Assert.Equal(new StreamInfo(3, 0, true), log.GetStreamInfo("s"));

        await AppendNumberedAsync(log, "s", 2, startVersion: 3);
        await log.WriteCheckpointAsync("s", 5, Bytes("state@5"));
        Assert.Equal(new StreamInfo(5, 5, false), log.GetStreamInfo("s"));
        await log.DeleteStreamAsync("s", 5);

        Assert.Equal(new StreamInfo(5, 0, true), log.GetStreamInfo("s"));
        AssertRead(await log.ReadStreamAsync("s"), null, null, 1, [], 5, isDeleted: true);
        var next = await log.AppendAsync("s", 5, Batch("p6"));
        Assert.Equal(6, next.FirstVersion);
    }

    [Fact]
    public async Task DeleteStreamAsync_NeverWrittenStream_ReadsAsDeletedAtVersionZero()
    {
        var log = await NewLogAsync();

        var deleted = await log.DeleteStreamAsync("ghost", ExpectedVersion.NoStream);

        Assert.Equal((0L, 0L), (deleted.FirstVersion, deleted.LastVersion));
        Assert.Equal(new StreamInfo(0, 0, true), log.GetStreamInfo("ghost"));
        AssertRead(await log.ReadStreamAsync("ghost"), null, null, 1, [], 0, isDeleted: true);
        var appended = await log.AppendAsync("ghost", ExpectedVersion.NoStream, Batch("p1"));
        Assert.Equal(1, appended.FirstVersion);
    }

    [Fact]
    public async Task WriteCheckpointAsync_DeletedStreamWithoutNewEvents_ThrowsArgumentOutOfRange()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);
        await log.DeleteStreamAsync("s", 3);
        long lsnBefore = log.WrittenLsn;

        await Assert.ThrowsAsync<CheckpointVersionOutOfRangeException>(() => log.WriteCheckpointAsync("s", 3, Bytes("x")).AsTask());
        await Assert.ThrowsAsync<CheckpointVersionOutOfRangeException>(() => log.WriteCheckpointAsync("s", 2, Bytes("x")).AsTask());

        Assert.Equal(lsnBefore, log.WrittenLsn);
        Assert.Equal(new StreamInfo(3, 0, true), log.GetStreamInfo("s"));
    }

    [Fact]
    public async Task WriteCheckpointAsync_RecreatedStream_MustCoverVersionAboveDeletion()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);
        await log.DeleteStreamAsync("s", 3);
        await AppendNumberedAsync(log, "s", 2, startVersion: 3);

        await Assert.ThrowsAsync<CheckpointVersionOutOfRangeException>(() => log.WriteCheckpointAsync("s", 3, Bytes("old")).AsTask());
        await log.WriteCheckpointAsync("s", 4, Bytes("state@4"));

        AssertRead(await log.ReadStreamAsync("s"), 4, "state@4", 5, ["p5"], 5);
    }

    [Fact]
    public async Task ReadStreamAsync_BoundsBeforeDeletion_ReturnPriorState()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 4);
        await log.WriteCheckpointAsync("s", 2, Bytes("state@2"));
        DateTimeOffset beforeDelete = Clock.GetUtcNow();
        DateTimeOffset deletedAt = Clock.Advance(TimeSpan.FromSeconds(10));
        await log.DeleteStreamAsync("s", 4);
        Clock.Advance(TimeSpan.FromSeconds(10));
        await AppendNumberedAsync(log, "s", 1, startVersion: 4);

        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(3)), 2, "state@2", 3, ["p3"], 3);
        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(4)), null, null, 1, [], 4, isDeleted: true);
        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(5)), null, null, 5, ["p5"], 5);
        await AssertReadAtTimeAsync(log, "s", beforeDelete, read => AssertRead(read, 2, "state@2", 3, ["p3", "p4"], 4));
        await AssertReadAtTimeAsync(log, "s", deletedAt, read => AssertRead(read, null, null, 1, [], 4, isDeleted: true));
        AssertRead(await log.ReadStreamAsync("s"), null, null, 5, ["p5"], 5);
    }

    [Fact]
    public async Task ReadEventsAsync_AfterDeletionAndRecreation_ReturnsNewEventsAndOldOnesReclaimedOrOmitted()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);
        await log.DeleteStreamAsync("s", 3);
        await AppendNumberedAsync(log, "s", 2, startVersion: 3);

        AssertEvents(await log.ReadEventsAsync("s", 4, 5), 4, ["p4", "p5"]);
        await AssertEventsOrReclaimedAsync(log, "s", 1, 5, reclaimableUpTo: 3, mayOmit: true);
    }

    [Fact]
    public async Task DeleteStreamAsync_OtherStreamsUnaffected()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "a", 2);
        await AppendNumberedAsync(log, "b", 2);

        await log.DeleteStreamAsync("a", 2);

        AssertRead(await log.ReadStreamAsync("b"), null, null, 1, ["p1", "p2"], 2);
    }
}
