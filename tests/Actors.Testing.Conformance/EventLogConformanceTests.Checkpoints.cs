namespace Actors.Wal.Tests.Conformance;

/// <summary>Checkpoints: selection on read, allowed versions, stream info.</summary>
public abstract partial class EventLogConformanceTests
{
    [Fact]
    public async Task WriteCheckpointAsync_ThenReadStream_ReturnsCheckpointAndLaterEvents()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 5);

        var checkpoint = await log.WriteCheckpointAsync("s", 3, Bytes("state@3"));
        await log.AppendAsync("s", 5, Batch("p6"));

        Assert.Equal(3, checkpoint.Version);
        Assert.True(checkpoint.Lsn > (await log.ReadEventsAsync("s", 5, 5))[0].Lsn, "a checkpoint's LSN follows the events before it");
        var read = await log.ReadStreamAsync("s");
        AssertRead(read, 3, "state@3", 4, ["p4", "p5", "p6"], 6);
        Assert.Equal(checkpoint.Lsn, read.Checkpoint!.Lsn);
    }

    [Fact]
    public async Task WriteCheckpointAsync_AtCurrentVersion_ReadReturnsCheckpointOnly()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 4);

        await log.WriteCheckpointAsync("s", 4, Bytes("state@4"));

        AssertRead(await log.ReadStreamAsync("s"), 4, "state@4", 5, [], 4);
        Assert.Equal(new StreamInfo(4, 4, false), log.GetStreamInfo("s"));
    }

    [Fact]
    public async Task WriteCheckpointAsync_SeveralCheckpoints_ReadUsesNewest()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 10);

        await log.WriteCheckpointAsync("s", 2, Bytes("state@2"));
        await log.WriteCheckpointAsync("s", 5, Bytes("state@5"));
        await log.WriteCheckpointAsync("s", 8, Bytes("state@8"));

        AssertRead(await log.ReadStreamAsync("s"), 8, "state@8", 9, ["p9", "p10"], 10);
        Assert.Equal(8, log.GetStreamInfo("s").CheckpointVersion);
    }

    [Fact]
    public async Task WriteCheckpointAsync_SameVersionAgain_NewestStateWins()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);

        var first = await log.WriteCheckpointAsync("s", 3, Bytes("first"));
        var second = await log.WriteCheckpointAsync("s", 3, Bytes("second"));

        Assert.True(second.Lsn > first.Lsn, $"checkpoint LSN {second.Lsn} must exceed {first.Lsn}");
        AssertRead(await log.ReadStreamAsync("s"), 3, "second", 4, [], 3);
    }

    [Fact]
    public async Task WriteCheckpointAsync_EmptyState_IsStored()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 2);

        await log.WriteCheckpointAsync("s", 2, ReadOnlyMemory<byte>.Empty);

        AssertRead(await log.ReadStreamAsync("s"), 2, "", 3, [], 2);
    }

    [Fact]
    public async Task WriteCheckpointAsync_CallerReusesBuffer_StoredStateUnchanged()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 1);
        byte[] state = Bytes("original");

        await log.WriteCheckpointAsync("s", 1, state);
        Bytes("mutated!").CopyTo(state, 0);

        Assert.Equal("original", Text((await log.ReadStreamAsync("s")).Checkpoint!.State));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(6L)]
    [InlineData(1000L)]
    public async Task WriteCheckpointAsync_VersionOutsideStream_ThrowsCheckpointVersionOutOfRangeAndWritesNothing(long version)
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 5);
        long lsnBefore = log.WrittenLsn;

        await Assert.ThrowsAsync<CheckpointVersionOutOfRangeException>(() => log.WriteCheckpointAsync("s", version, Bytes("x")).AsTask());

        Assert.Equal(lsnBefore, log.WrittenLsn);
        AssertRead(await log.ReadStreamAsync("s"), null, null, 1, Numbered(1, 5), 5);
    }

    [Fact]
    public async Task WriteCheckpointAsync_BelowLatestCheckpoint_ThrowsCheckpointVersionOutOfRangeAndKeepsLatest()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 6);
        await log.WriteCheckpointAsync("s", 4, Bytes("state@4"));
        long lsnBefore = log.WrittenLsn;

        await Assert.ThrowsAsync<CheckpointVersionOutOfRangeException>(() => log.WriteCheckpointAsync("s", 3, Bytes("older")).AsTask());

        Assert.Equal(lsnBefore, log.WrittenLsn);
        AssertRead(await log.ReadStreamAsync("s"), 4, "state@4", 5, ["p5", "p6"], 6);
    }

    [Fact]
    public async Task WriteCheckpointAsync_UnknownStream_ThrowsCheckpointVersionOutOfRange()
    {
        var log = await NewLogAsync();

        await Assert.ThrowsAsync<CheckpointVersionOutOfRangeException>(() => log.WriteCheckpointAsync("nobody", 1, Bytes("x")).AsTask());

        Assert.Equal(StreamInfo.Empty, log.GetStreamInfo("nobody"));
    }

    [Fact]
    public async Task WriteCheckpointAsync_OtherStreamsUnaffected()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "a", 3);
        await AppendNumberedAsync(log, "b", 3);

        await log.WriteCheckpointAsync("a", 3, Bytes("a@3"));

        AssertRead(await log.ReadStreamAsync("b"), null, null, 1, Numbered(1, 3), 3);
        Assert.Equal(new StreamInfo(3, 0, false), log.GetStreamInfo("b"));
    }

    [Fact]
    public async Task GetStreamInfo_UnknownStream_ReturnsEmpty()
    {
        var log = await NewLogAsync();

        var info = log.GetStreamInfo("never-written");

        Assert.Equal(StreamInfo.Empty, info);
        Assert.True(info.IsEmpty);
    }
}
