namespace Actors.Wal.Tests.Conformance;

/// <summary>DeleteEventsToAsync: erased events are unreadable at once; checkpoints and the version stay; appends go on.</summary>
public abstract partial class EventLogConformanceTests
{
    [Fact]
    public async Task DeleteEventsToAsync_PartOfTheHistory_ReadsReturnOnlyTheLaterEvents()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 5);

        var erased = await log.DeleteEventsToAsync("s", 3);

        Assert.Equal(("s", 3L, 3L), (erased.StreamId, erased.ErasedToVersion, erased.EventsErased));
        AssertRead(await log.ReadStreamAsync("s"), null, null, 4, ["p4", "p5"], 5);
        AssertEvents(await log.ReadEventsAsync("s", 4, 5), 4, "p4", "p5");
        var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(() => log.ReadEventsAsync("s", 1, 5).AsTask());
        Assert.Equal(4, reclaimed.OldestAvailableVersion);
        Assert.Equal(5, log.GetStreamInfo("s").Version);
    }

    [Fact]
    public async Task DeleteEventsToAsync_UpToTheCheckpoint_KeepsTheCheckpoint()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 4);
        await log.WriteCheckpointAsync("s", 3, Bytes("state@3"));

        await log.DeleteEventsToAsync("s", 3);

        AssertRead(await log.ReadStreamAsync("s"), 3, "state@3", 4, ["p4"], 4);
        Assert.Equal(new StreamInfo(4, 3, false), log.GetStreamInfo("s"));
    }

    [Fact]
    public async Task DeleteEventsToAsync_EveryEvent_KeepsTheVersionAndAppendsContinue()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);

        await log.DeleteEventsToAsync("s", 3);

        AssertRead(await log.ReadStreamAsync("s"), null, null, 4, [], 3);
        var appended = await log.AppendAsync("s", 3, Batch("p4"));
        Assert.Equal(4, appended.FirstVersion);
        AssertRead(await log.ReadStreamAsync("s"), null, null, 4, ["p4"], 4);
    }

    [Fact]
    public async Task DeleteEventsToAsync_OutOfRange_ThrowsAndErasesNothing()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 2);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.DeleteEventsToAsync("s", 3).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.DeleteEventsToAsync("s", 0).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.DeleteEventsToAsync("unknown", 1).AsTask());

        AssertRead(await log.ReadStreamAsync("s"), null, null, 1, ["p1", "p2"], 2);
    }
}
