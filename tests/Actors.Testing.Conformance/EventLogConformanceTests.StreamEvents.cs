namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// ReadStreamEventsAsync: the events of a range as an asynchronous sequence, equal to ReadEventsAsync at its start,
/// never skipping a version, never handing out an erased event after the erase completed.
/// </summary>
public abstract partial class EventLogConformanceTests
{
    [Fact]
    public async Task ReadStreamEventsAsync_AfterTheCheckpoint_EqualsTheEventsOfReadStreamAsync()
    {
        var log = await NewLogAsync();
        await log.AppendAsync("s", 0, Batch("p1", "p2", "p3"));
        await AppendNumberedAsync(log, "s", 4, startVersion: 3);
        await log.WriteCheckpointAsync("s", 4, Bytes("state@4"));
        await log.AppendAsync("s", 7, Batch("p8", "p9"));

        var read = await log.ReadStreamAsync("s");
        var streamed = await ToListAsync(log.ReadStreamEventsAsync("s", read.Checkpoint!.Version + 1));

        Assert.Equal(read.Events.Select(e => (e.Version, e.Lsn, e.Timestamp, Text(e.Payload))), streamed.Select(e => (e.Version, e.Lsn, e.Timestamp, Text(e.Payload))));
        AssertEvents(await ToListAsync(log.ReadStreamEventsAsync("s")), 1, Numbered(1, 9));
        AssertEvents(await ToListAsync(log.ReadStreamEventsAsync("s", 3)), 3, Numbered(3, 9));
    }

    [Fact]
    public async Task ReadStreamEventsAsync_UnknownStreamOrBeyondTheEnd_YieldsNothing()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 2);

        Assert.Empty(await ToListAsync(log.ReadStreamEventsAsync("unknown")));
        Assert.Empty(await ToListAsync(log.ReadStreamEventsAsync("s", 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ReadStreamEventsAsync("s", 0));
    }

    [Fact]
    public async Task ReadStreamEventsAsync_EventsAppendedDuringTheRead_EndsAtTheVersionItStartedWith()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);

        var seen = new List<long>();
        await foreach (var stored in log.ReadStreamEventsAsync("s"))
        {
            seen.Add(stored.Version);
            if (stored.Version == 1)
            {
                await log.AppendAsync("s", 3, Batch("p4"));
            }
        }

        Assert.Equal([1L, 2, 3], seen);
        AssertEvents(await ToListAsync(log.ReadStreamEventsAsync("s", 4)), 4, "p4");
    }

    [Fact]
    public async Task ReadStreamEventsAsync_CancelledDuringTheRead_NextStepThrowsOperationCanceled()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 5);
        using var cancellation = new CancellationTokenSource();

        var seen = new List<long>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var stored in log.ReadStreamEventsAsync("s").WithCancellation(cancellation.Token))
            {
                seen.Add(stored.Version);
                if (stored.Version == 2)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal([1L, 2], seen);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ToListAsync(log.ReadStreamEventsAsync("s", 1, cancellation.Token)));
    }

    [Fact]
    public async Task ReadStreamEventsAsync_ErasedRange_ThrowsEventsReclaimedAsReadEventsAsyncDoes()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 5);
        await log.DeleteEventsToAsync("s", 3);

        var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(() => ToListAsync(log.ReadStreamEventsAsync("s")));

        Assert.Equal((1L, 4L), (reclaimed.RequestedFromVersion, reclaimed.OldestAvailableVersion));
        AssertEvents(await ToListAsync(log.ReadStreamEventsAsync("s", 4)), 4, "p4", "p5");
    }

    [Fact]
    public async Task ReadStreamEventsAsync_ErasedDuringTheRead_NoErasedEventAfterTheEraseThenEventsReclaimed()
    {
        var log = await NewLogAsync();
        await log.AppendAsync("s", 0, Batch("p1", "p2", "p3", "p4"));
        await log.AppendAsync("s", 4, Batch("p5", "p6"));

        var seen = new List<long>();
        var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(async () =>
        {
            await foreach (var stored in log.ReadStreamEventsAsync("s"))
            {
                seen.Add(stored.Version);
                if (stored.Version == 1)
                {
                    await log.DeleteEventsToAsync("s", 4); // erases 1..4: 2..4 are in the record the read is handing out
                }
            }
        });

        Assert.Equal([1L], seen);
        Assert.Equal((2L, 5L), (reclaimed.RequestedFromVersion, reclaimed.OldestAvailableVersion));
    }

    [Fact]
    public async Task ReadStreamEventsAsync_ErasedDuringItsLastRecord_NoErasedEventAfterTheEraseThenEventsReclaimed()
    {
        var log = await NewLogAsync();
        await log.AppendAsync("s", 0, Batch("p1", "p2", "p3", "p4", "p5"));

        var seen = new List<long>();
        var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(async () =>
        {
            await foreach (var stored in log.ReadStreamEventsAsync("s"))
            {
                seen.Add(stored.Version);
                if (stored.Version == 1)
                {
                    await log.DeleteEventsToAsync("s", 3); // 2 and 3 are in the one record the read holds
                }
            }
        });

        Assert.Equal([1L], seen);
        Assert.Equal((2L, 4L), (reclaimed.RequestedFromVersion, reclaimed.OldestAvailableVersion));
    }

    [Fact]
    public async Task ReadStreamEventsAsync_StreamDeletedDuringTheRead_NeverSkipsAVersion()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 6);

        var seen = new List<long>();
        try
        {
            await foreach (var stored in log.ReadStreamEventsAsync("s"))
            {
                seen.Add(stored.Version);
                if (stored.Version == 2)
                {
                    await log.DeleteStreamAsync("s", 6);
                }
            }
        }
        catch (EventsReclaimedException ex)
        {
            Assert.Equal(seen.Count + 1, ex.RequestedFromVersion);
        }

        // Either the whole range the read started with, or a prefix of it ended by the typed error: never a hole.
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(v => (long)v), seen);
        Assert.True(seen.Count >= 2);
    }

    /// <summary>Collects a read (the payloads belong to the caller, so keeping them is allowed).</summary>
    protected static async Task<List<StoredEvent>> ToListAsync(IAsyncEnumerable<StoredEvent> events)
    {
        var list = new List<StoredEvent>();
        await foreach (var stored in events)
        {
            list.Add(stored);
        }

        return list;
    }
}
