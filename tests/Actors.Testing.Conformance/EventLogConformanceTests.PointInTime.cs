namespace Actors.Wal.Tests.Conformance;

/// <summary>Point-in-time reads (by version and by timestamp) and raw event ranges.</summary>
public abstract partial class EventLogConformanceTests
{
    [Fact]
    public async Task ReadStreamAsync_AtVersion_ReturnsNewestCheckpointAtOrBelowPlusEventsUpToBound()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 10);
        await log.WriteCheckpointAsync("s", 4, Bytes("state@4"));
        await log.WriteCheckpointAsync("s", 8, Bytes("state@8"));

        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(3)), null, null, 1, Numbered(1, 3), 3);
        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(4)), 4, "state@4", 5, [], 4);
        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(6)), 4, "state@4", 5, ["p5", "p6"], 6);
        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(8)), 8, "state@8", 9, [], 8);
        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(9)), 8, "state@8", 9, ["p9"], 9);
        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(10)), 8, "state@8", 9, ["p9", "p10"], 10);
    }

    [Fact]
    public async Task ReadStreamAsync_AtVersionBeyondStream_ReadsLatest()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);

        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(1000)), null, null, 1, Numbered(1, 3), 3);
        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(long.MaxValue)), null, null, 1, Numbered(1, 3), 3);
    }

    [Fact]
    public async Task ReadStreamAsync_AtVersionZero_ReturnsEmptyStream()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);

        AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(0)), null, null, 1, [], 0);
    }

    [Fact]
    public async Task ReadStreamAsync_UnknownStream_ReturnsEmptyWithVersionZero()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "other", 2);

        var read = await log.ReadStreamAsync("unknown");

        Assert.Equal("unknown", read.StreamId);
        AssertRead(read, null, null, 1, [], 0);
        AssertRead(await log.ReadStreamAsync("unknown", ReadBound.AtVersion(5)), null, null, 1, [], 0);
        await AssertReadAtTimeAsync(log, "unknown", Clock.GetUtcNow(), read => AssertRead(read, null, null, 1, [], 0));
    }

    [Fact]
    public async Task ReadStreamAsync_Timestamps_ComeFromTheLogsTimeProvider()
    {
        var log = await NewLogAsync();
        DateTimeOffset t0 = Clock.GetUtcNow();
        await log.AppendAsync("s", 0, Batch("a", "b"));
        DateTimeOffset t1 = Clock.Advance(TimeSpan.FromMinutes(5));
        await log.WriteCheckpointAsync("s", 2, Bytes("state@2"));
        DateTimeOffset t2 = Clock.Advance(TimeSpan.FromDays(3));
        await log.AppendAsync("s", 2, Batch("c"));

        var all = await log.ReadEventsAsync("s", 1, 3);
        var read = await log.ReadStreamAsync("s");

        Assert.Equal([t0, t0, t2], all.Select(e => e.Timestamp).ToArray());
        Assert.Equal(t1, read.Checkpoint!.Timestamp);
    }

    [Fact]
    public async Task ReadStreamAsync_AtTime_ReturnsStateAsOfTimestamp()
    {
        var log = await NewLogAsync();
        var second = TimeSpan.FromSeconds(1);
        DateTimeOffset t0 = Clock.GetUtcNow();
        await log.AppendAsync("s", 0, Batch("p1", "p2"));
        DateTimeOffset t1 = Clock.Advance(10 * second);
        await log.AppendAsync("s", 2, Batch("p3"));
        DateTimeOffset t2 = Clock.Advance(10 * second);
        await log.WriteCheckpointAsync("s", 2, Bytes("state@2"));
        DateTimeOffset t3 = Clock.Advance(10 * second);
        await log.AppendAsync("s", 3, Batch("p4", "p5"));
        DateTimeOffset t4 = Clock.Advance(10 * second);
        await log.WriteCheckpointAsync("s", 5, Bytes("state@5"));
        DateTimeOffset t5 = Clock.Advance(10 * second);
        await log.AppendAsync("s", 5, Batch("p6"));

        await AssertReadAtTimeAsync(log, "s", t0 - second, read => AssertRead(read, null, null, 1, [], 0));
        await AssertReadAtTimeAsync(log, "s", t0, read => AssertRead(read, null, null, 1, ["p1", "p2"], 2));
        await AssertReadAtTimeAsync(log, "s", t1 - second, read => AssertRead(read, null, null, 1, ["p1", "p2"], 2));
        await AssertReadAtTimeAsync(log, "s", t1 + (5 * second), read => AssertRead(read, null, null, 1, ["p1", "p2", "p3"], 3));
        await AssertReadAtTimeAsync(log, "s", t2, read => AssertRead(read, 2, "state@2", 3, ["p3"], 3));
        await AssertReadAtTimeAsync(log, "s", t3, read => AssertRead(read, 2, "state@2", 3, ["p3", "p4", "p5"], 5));
        await AssertReadAtTimeAsync(log, "s", t4, read => AssertRead(read, 5, "state@5", 6, [], 5));
        await AssertReadAtTimeAsync(log, "s", t5 + TimeSpan.FromDays(365), read => AssertRead(read, 5, "state@5", 6, ["p6"], 6));
    }

    [Fact]
    public async Task ReadStreamAsync_AtTimeInOtherOffset_ComparesInstants()
    {
        var log = await NewLogAsync();
        DateTimeOffset t0 = Clock.GetUtcNow();
        await log.AppendAsync("s", 0, Batch("p1"));
        Clock.Advance(TimeSpan.FromHours(1));
        await log.AppendAsync("s", 1, Batch("p2"));

        var sameInstantElsewhere = t0.ToOffset(TimeSpan.FromHours(-5));

        await AssertReadAtTimeAsync(log, "s", sameInstantElsewhere, read => AssertRead(read, null, null, 1, ["p1"], 1));
    }

    [Fact]
    public async Task AppendAsync_ClockGoesBack_TimestampsNeverDecrease()
    {
        var log = await NewLogAsync();
        DateTimeOffset t0 = Clock.Advance(TimeSpan.FromHours(1));
        await log.AppendAsync("s", 0, Batch("p1"));
        Clock.SetUtcNow(t0 - TimeSpan.FromMinutes(30));
        await log.AppendAsync("s", 1, Batch("p2"));

        var events = await log.ReadEventsAsync("s", 1, 2);

        Assert.True(events[1].Timestamp >= events[0].Timestamp, $"timestamp {events[1].Timestamp:O} of version 2 is before {events[0].Timestamp:O} of version 1");
        await AssertReadAtTimeAsync(log, "s", events[1].Timestamp, read => AssertRead(read, null, null, 1, ["p1", "p2"], 2));
    }

    [Fact]
    public async Task ReadEventsAsync_Range_ReturnsInclusiveRange()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 8);

        AssertEvents(await log.ReadEventsAsync("s", 3, 6), 3, Numbered(3, 6));
        AssertEvents(await log.ReadEventsAsync("s", 1, 1), 1, ["p1"]);
        AssertEvents(await log.ReadEventsAsync("s", 8, 8), 8, ["p8"]);
        AssertEvents(await log.ReadEventsAsync("s", 1, 8), 1, Numbered(1, 8));
    }

    [Fact]
    public async Task ReadEventsAsync_BeyondCurrentVersion_ClampsToStream()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 5);

        AssertEvents(await log.ReadEventsAsync("s", 4, 100), 4, ["p4", "p5"]);
        AssertEvents(await log.ReadEventsAsync("s", 1, long.MaxValue), 1, Numbered(1, 5));
        Assert.Empty(await log.ReadEventsAsync("s", 6, 10));
    }

    [Fact]
    public async Task ReadEventsAsync_EmptyRangeOrUnknownStream_ReturnsNothing()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 5);

        Assert.Empty(await log.ReadEventsAsync("s", 4, 3));
        Assert.Empty(await log.ReadEventsAsync("unknown", 1, 10));
    }

    [Fact]
    public async Task ReadEventsAsync_IgnoresCheckpoints_ReturnsEventsAroundCheckpoint()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 6);
        await log.WriteCheckpointAsync("s", 4, Bytes("state@4"));

        AssertEvents(await log.ReadEventsAsync("s", 5, 6), 5, ["p5", "p6"]);
        AssertEvents(await log.ReadEventsAsync("s", 4, 6), 4, ["p4", "p5", "p6"]);
        await AssertEventsOrReclaimedAsync(log, "s", 1, 6, reclaimableUpTo: 4);
    }

    /// <summary>
    /// Events at or below <paramref name="reclaimableUpTo"/> may have been reclaimed. The read must then either
    /// throw <see cref="EventsReclaimedException"/> naming an oldest available version in (from, reclaimableUpTo + 1],
    /// or (when <paramref name="mayOmit"/>, for events of a deleted incarnation) return only p{reclaimableUpTo + 1}..p{to}.
    /// Otherwise it must return exactly p{from}..p{to}.
    /// </summary>
    protected static async Task AssertEventsOrReclaimedAsync(IEventLog log, string streamId, long from, long to, long reclaimableUpTo, bool mayOmit = false)
    {
        IReadOnlyList<StoredEvent> events;
        try
        {
            events = await log.ReadEventsAsync(streamId, from, to);
        }
        catch (EventsReclaimedException ex)
        {
            Assert.Equal(streamId, ex.StreamId);
            Assert.Equal(from, ex.RequestedFromVersion);
            Assert.InRange(ex.OldestAvailableVersion, from + 1, reclaimableUpTo + 1);
            return;
        }

        long first = mayOmit && events.Count > 0 && events[0].Version == reclaimableUpTo + 1 ? reclaimableUpTo + 1 : from;
        AssertEvents(events, first, Numbered(first, to));
    }
}
