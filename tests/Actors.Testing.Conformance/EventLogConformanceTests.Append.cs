namespace Actors.Wal.Tests.Conformance;

/// <summary>Appends: round trips, version numbering, LSNs, expected-version checks.</summary>
public abstract partial class EventLogConformanceTests
{
    [Fact]
    public async Task AppendAsync_NewStream_AssignsVersionsFromOne()
    {
        var log = await NewLogAsync();

        var result = await log.AppendAsync("orders/1", ExpectedVersion.NoStream, Batch("a", "b", "c"));

        Assert.Equal(1, result.FirstVersion);
        Assert.Equal(3, result.LastVersion);
        Assert.True(result.LastLsn > 0, $"LastLsn must be positive; it is {result.LastLsn}.");
        Assert.Equal(new StreamInfo(3, 0, false), log.GetStreamInfo("orders/1"));
    }

    [Fact]
    public async Task AppendAsync_SequentialBatches_VersionsContinue()
    {
        var log = await NewLogAsync();

        var first = await log.AppendAsync("s", 0, Batch("a", "b"));
        var second = await log.AppendAsync("s", 2, Batch("c"));
        var third = await log.AppendAsync("s", 3, Batch("d", "e", "f"));

        Assert.Equal((1L, 2L), (first.FirstVersion, first.LastVersion));
        Assert.Equal((3L, 3L), (second.FirstVersion, second.LastVersion));
        Assert.Equal((4L, 6L), (third.FirstVersion, third.LastVersion));
        Assert.Equal(6, log.GetStreamInfo("s").Version);
    }

    [Fact]
    public async Task AppendAsync_ThenReadStream_RoundTripsPayloadsInOrder()
    {
        var log = await NewLogAsync();
        byte[] binary = [0, 255, 1, 254, 0, 0, 13, 10];
        byte[] large = Filled("large", MaxRecordSizeBytes);

        await log.AppendAsync("s", 0, [binary, Array.Empty<byte>(), large]);
        await log.AppendAsync("s", 3, Batch("last"));
        var read = await log.ReadStreamAsync("s");

        Assert.Equal(4, read.Version);
        Assert.Equal("s", read.StreamId);
        Assert.Null(read.Checkpoint);
        Assert.False(read.IsDeleted);
        Assert.Equal(4, read.Events.Count);
        Assert.Equal(binary, read.Events[0].Payload.ToArray());
        Assert.Equal(0, read.Events[1].Payload.Length);
        Assert.Equal(large, read.Events[2].Payload.ToArray());
        Assert.Equal("last", Text(read.Events[3].Payload));
        Assert.Equal([1L, 2L, 3L, 4L], read.Events.Select(e => e.Version).ToArray());
    }

    [Fact]
    public async Task AppendAsync_StreamIdsAreCaseSensitiveAndIndependent()
    {
        var log = await NewLogAsync();

        await log.AppendAsync("Account/1", 0, Batch("upper"));
        await log.AppendAsync("account/1", 0, Batch("lower-1", "lower-2"));
        await log.AppendAsync("account/1/x", 0, Batch("child"));

        AssertRead(await log.ReadStreamAsync("Account/1"), null, null, 1, ["upper"], 1);
        AssertRead(await log.ReadStreamAsync("account/1"), null, null, 1, ["lower-1", "lower-2"], 2);
        AssertRead(await log.ReadStreamAsync("account/1/x"), null, null, 1, ["child"], 1);
    }

    [Fact]
    public async Task AppendAsync_Lsns_IncreaseAcrossBatchesAndStreams()
    {
        var log = await NewLogAsync();
        long before = log.WrittenLsn;

        var a = await log.AppendAsync("a", 0, Batch("a1", "a2"));
        var b = await log.AppendAsync("b", 0, Batch("b1"));
        var c = await log.AppendAsync("a", 2, Batch("a3"));

        Assert.True(a.LastLsn > before, $"first LSN {a.LastLsn} must exceed the initial written LSN {before}.");
        Assert.True(b.LastLsn > a.LastLsn, $"LSN {b.LastLsn} must exceed {a.LastLsn}.");
        Assert.True(c.LastLsn > b.LastLsn, $"LSN {c.LastLsn} must exceed {b.LastLsn}.");
        Assert.True(log.WrittenLsn >= c.LastLsn, $"WrittenLsn {log.WrittenLsn} must cover the acknowledged LSN {c.LastLsn}.");
        var events = (await log.ReadStreamAsync("a")).Events;
        Assert.Equal(a.LastLsn, events[1].Lsn);
        Assert.Equal(c.LastLsn, events[2].Lsn);
        Assert.True(events[0].Lsn < events[1].Lsn, "events of one batch get increasing LSNs");
    }

    [Fact]
    public async Task FlushAsync_AfterAppends_DurableLsnCoversWrittenLsn()
    {
        var log = await NewLogAsync();
        var result = await log.AppendAsync("s", 0, Batch("a", "b"));

        await log.FlushAsync();

        Assert.True(log.DurableLsn >= result.LastLsn, $"DurableLsn {log.DurableLsn} must cover {result.LastLsn} after a flush.");
        Assert.True(log.WrittenLsn >= log.DurableLsn, $"WrittenLsn {log.WrittenLsn} must not be behind DurableLsn {log.DurableLsn}.");
    }

    [Fact]
    public async Task AppendAsync_CallerReusesBufferAfterAppend_StoredPayloadUnchanged()
    {
        var log = await NewLogAsync();
        byte[] buffer = Bytes("original");

        await log.AppendAsync("s", 0, [buffer]);
        Bytes("mutated!").CopyTo(buffer, 0);
        var read = await log.ReadStreamAsync("s");

        Assert.Equal("original", Text(read.Events[0].Payload));
    }

    [Fact]
    public async Task AppendAsync_WrongExpectedVersion_ThrowsConflictAndWritesNothing()
    {
        var log = await NewLogAsync();
        await log.AppendAsync("s", 0, Batch("a", "b"));
        long lsnBefore = log.WrittenLsn;

        var ex = await Assert.ThrowsAsync<StreamVersionConflictException>(() => log.AppendAsync("s", 1, Batch("x", "y")).AsTask());

        Assert.Equal("s", ex.StreamId);
        Assert.Equal(1, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        Assert.Equal(lsnBefore, log.WrittenLsn);
        AssertRead(await log.ReadStreamAsync("s"), null, null, 1, ["a", "b"], 2);
        var next = await log.AppendAsync("s", 2, Batch("c"));
        Assert.Equal(3, next.FirstVersion);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(2L)]
    [InlineData(4L)]
    [InlineData(100L)]
    public async Task AppendAsync_ExpectedVersionNotCurrent_ThrowsConflictWithActualVersion(long expected)
    {
        var log = await NewLogAsync();
        await log.AppendAsync("s", 0, Batch("a", "b", "c"));

        var ex = await Assert.ThrowsAsync<StreamVersionConflictException>(() => log.AppendAsync("s", expected, Batch("x")).AsTask());

        Assert.Equal(expected, ex.ExpectedVersion);
        Assert.Equal(3, ex.ActualVersion);
        Assert.Equal(3, log.GetStreamInfo("s").Version);
    }

    [Fact]
    public async Task AppendAsync_NewStreamExpectingVersionAbove0_ThrowsConflictAndCreatesNothing()
    {
        var log = await NewLogAsync();

        var ex = await Assert.ThrowsAsync<StreamVersionConflictException>(() => log.AppendAsync("s", 5, Batch("x")).AsTask());

        Assert.Equal(0, ex.ActualVersion);
        Assert.Equal(StreamInfo.Empty, log.GetStreamInfo("s"));
        AssertRead(await log.ReadStreamAsync("s"), null, null, 1, [], 0);
    }

    [Fact]
    public async Task AppendAsync_ExpectedVersionAny_SkipsTheCheck()
    {
        var log = await NewLogAsync();

        var first = await log.AppendAsync("s", ExpectedVersion.Any, Batch("a"));
        var second = await log.AppendAsync("s", ExpectedVersion.Any, Batch("b", "c"));

        Assert.Equal((1L, 1L), (first.FirstVersion, first.LastVersion));
        Assert.Equal((2L, 3L), (second.FirstVersion, second.LastVersion));
        AssertRead(await log.ReadStreamAsync("s"), null, null, 1, ["a", "b", "c"], 3);
    }

    [Fact]
    public async Task AppendAsync_ExpectedVersionBelowAny_ThrowsArgumentOutOfRange()
    {
        var log = await NewLogAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.AppendAsync("s", -2, Batch("a")).AsTask());

        Assert.Equal(StreamInfo.Empty, log.GetStreamInfo("s"));
    }
}
