namespace Actors.Wal.Tests.Conformance;

/// <summary>Rejected arguments: nothing is written and the log stays usable.</summary>
public abstract partial class EventLogConformanceTests
{
    // Theory data carries an index: xunit's serialization of theory arguments would repair an unpaired surrogate.
    private static readonly string[] InvalidStreamIdValues =
    [
        "",
        "bad\ud800surrogate",
        new string('x', StreamId.MaxByteLength + 1),
        new string('é', (StreamId.MaxByteLength / 2) + 1),
    ];

    public static TheoryData<int> InvalidStreamIds => new(Enumerable.Range(0, InvalidStreamIdValues.Length));

    [Theory]
    [MemberData(nameof(InvalidStreamIds))]
    public async Task AppendAsync_InvalidStreamId_ThrowsInvalidStreamIdAndWritesNothing(int invalidId)
    {
        string streamId = InvalidStreamIdValues[invalidId];
        var log = await NewLogAsync();
        long lsnBefore = log.WrittenLsn;

        await Assert.ThrowsAsync<InvalidStreamIdException>(() => log.AppendAsync(streamId, ExpectedVersion.Any, Batch("a")).AsTask());

        Assert.Equal(lsnBefore, log.WrittenLsn);
        var ok = await log.AppendAsync("valid", 0, Batch("a"));
        Assert.Equal(1, ok.LastVersion);
    }

    [Theory]
    [MemberData(nameof(InvalidStreamIds))]
    public async Task EveryStreamMember_InvalidStreamId_ThrowsInvalidStreamId(int invalidId)
    {
        string streamId = InvalidStreamIdValues[invalidId];
        var log = await NewLogAsync();
        await log.AppendAsync("valid", 0, Batch("a"));
        long lsnBefore = log.WrittenLsn;

        await Assert.ThrowsAsync<InvalidStreamIdException>(() => log.WriteCheckpointAsync(streamId, 1, Bytes("state")).AsTask());
        await Assert.ThrowsAsync<InvalidStreamIdException>(() => log.DeleteStreamAsync(streamId, ExpectedVersion.Any).AsTask());
        await Assert.ThrowsAsync<InvalidStreamIdException>(() => log.ReadStreamAsync(streamId).AsTask());
        await Assert.ThrowsAsync<InvalidStreamIdException>(() => log.ReadEventsAsync(streamId, 1, 10).AsTask());
        Assert.Throws<InvalidStreamIdException>(() => log.GetStreamInfo(streamId));
        Assert.Equal(lsnBefore, log.WrittenLsn);
    }

    [Fact]
    public async Task AppendAsync_LongestValidStreamId_Succeeds()
    {
        var log = await NewLogAsync();
        string streamId = new('é', StreamId.MaxByteLength / 2);

        await log.AppendAsync(streamId, 0, Batch("a"));

        AssertRead(await log.ReadStreamAsync(streamId), null, null, 1, ["a"], 1);
    }

    [Fact]
    public async Task AppendAsync_NullArguments_ThrowArgumentNullException()
    {
        var log = await NewLogAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(() => log.AppendAsync(null!, 0, Batch("a")).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => log.AppendAsync("s", 0, null!).AsTask());

        Assert.Equal(StreamInfo.Empty, log.GetStreamInfo("s"));
    }

    [Fact]
    public async Task AppendAsync_EmptyBatch_ThrowsArgumentExceptionAndWritesNothing()
    {
        var log = await NewLogAsync();
        await log.AppendAsync("s", 0, Batch("a"));
        long lsnBefore = log.WrittenLsn;

        await Assert.ThrowsAnyAsync<ArgumentException>(() => log.AppendAsync("s", 1, Array.Empty<ReadOnlyMemory<byte>>()).AsTask());

        Assert.Equal(lsnBefore, log.WrittenLsn);
        Assert.Equal(1, log.GetStreamInfo("s").Version);
    }

    [Fact]
    public async Task AppendAsync_OneOversizedEventInBatch_ThrowsRecordTooLargeAndWritesNoneOfTheBatch()
    {
        var log = await NewLogAsync();
        await log.AppendAsync("s", 0, Batch("a"));
        long lsnBefore = log.WrittenLsn;
        ReadOnlyMemory<byte>[] batch = [Bytes("fine"), Filled("too-big", MaxRecordSizeBytes + 1), Bytes("also fine")];

        await Assert.ThrowsAsync<RecordTooLargeException>(() => log.AppendAsync("s", 1, batch).AsTask());

        Assert.Equal(lsnBefore, log.WrittenLsn);
        AssertRead(await log.ReadStreamAsync("s"), null, null, 1, ["a"], 1);
        var next = await log.AppendAsync("s", 1, Batch("b"));
        Assert.Equal(2, next.LastVersion);
    }

    [Fact]
    public async Task AppendAsync_EventOfExactlyMaxRecordSize_IsStored()
    {
        var log = await NewLogAsync();
        byte[] payload = Filled("max", MaxRecordSizeBytes);

        await log.AppendAsync("s", 0, [payload, payload]);

        var read = await log.ReadStreamAsync("s");
        Assert.All(read.Events, e => Assert.Equal(payload, e.Payload.ToArray()));
    }

    [Fact]
    public async Task WriteCheckpointAsync_OversizedState_ThrowsRecordTooLargeAndWritesNothing()
    {
        var log = await NewLogAsync();
        await log.AppendAsync("s", 0, Batch("a"));
        long lsnBefore = log.WrittenLsn;

        await Assert.ThrowsAsync<RecordTooLargeException>(() => log.WriteCheckpointAsync("s", 1, Filled("big", MaxRecordSizeBytes + 1)).AsTask());

        Assert.Equal(lsnBefore, log.WrittenLsn);
        Assert.Equal(0, log.GetStreamInfo("s").CheckpointVersion);
    }

    [Fact]
    public async Task ReadEventsAsync_FromVersionBelowOne_ThrowsArgumentOutOfRange()
    {
        var log = await NewLogAsync();
        await log.AppendAsync("s", 0, Batch("a"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ReadEventsAsync("s", 0, 1).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ReadEventsAsync("s", -5, 1).AsTask());
    }
}
