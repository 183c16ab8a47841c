namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// Point-in-time reads after every kind of deletion, per bound kind: the state as of a version or a time is either
/// exactly the state the stream had then (a checkpoint that was kept and the events after it up to the bound, or every
/// event from the stream's start) or <see cref="EventsReclaimedException"/>; never a partial history presented as a
/// whole one, a deleted checkpoint, or an erased event.
/// </summary>
/// <remarks>
/// The history: p1..p16 appended a minute apart, and checkpoints 11..15 each written a minute after its event or, in the
/// second shape, all after p16 (the shape of issue 62's report), a minute apart, so a time bound between two operations
/// has one right answer. Then one deletion: checkpoints 11..13
/// (<see cref="IEventLog.DeleteCheckpointsAsync"/>), events up to 13 (<see cref="IEventLog.DeleteEventsToAsync"/>), or
/// the stream (<see cref="IEventLog.DeleteStreamAsync"/>, then p17 in the new incarnation). Every bound from before the
/// first append to after the last operation is read. Reads bounded at or after the newest checkpoint that was kept (or
/// the tombstone) must succeed; below it a log that reclaims covered events may answer with the typed error.
/// </remarks>
public abstract partial class EventLogConformanceTests
{
    [Theory]
    [InlineData(PointInTimeBound.Version, PointInTimeDeletion.Checkpoints, false)]
    [InlineData(PointInTimeBound.Version, PointInTimeDeletion.Checkpoints, true)]
    [InlineData(PointInTimeBound.Version, PointInTimeDeletion.EventRange, false)]
    [InlineData(PointInTimeBound.Version, PointInTimeDeletion.EventRange, true)]
    [InlineData(PointInTimeBound.Version, PointInTimeDeletion.Stream, false)]
    [InlineData(PointInTimeBound.Version, PointInTimeDeletion.Stream, true)]
    [InlineData(PointInTimeBound.Time, PointInTimeDeletion.Checkpoints, false)]
    [InlineData(PointInTimeBound.Time, PointInTimeDeletion.Checkpoints, true)]
    [InlineData(PointInTimeBound.Time, PointInTimeDeletion.EventRange, false)]
    [InlineData(PointInTimeBound.Time, PointInTimeDeletion.EventRange, true)]
    [InlineData(PointInTimeBound.Time, PointInTimeDeletion.Stream, false)]
    [InlineData(PointInTimeBound.Time, PointInTimeDeletion.Stream, true)]
    public async Task ReadStreamAsync_BoundAfterDeletion_IsExactOrReclaimed(PointInTimeBound boundKind, PointInTimeDeletion deletion, bool checkpointsAfterEvents)
    {
        var log = await NewLogAsync();
        var history = new PointInTimeHistory();
        for (long v = 1; v <= 16; v++)
        {
            await log.AppendAsync("s", v - 1, Batch($"p{v}"));
            history.Appended(v, Clock.GetUtcNow());
            Clock.Advance(TimeSpan.FromMinutes(1));
            if (!checkpointsAfterEvents && v is >= 11 and <= 15)
            {
                await log.WriteCheckpointAsync("s", v, Bytes($"state@{v}"));
                history.Checkpointed(v, Clock.GetUtcNow());
                Clock.Advance(TimeSpan.FromMinutes(1));
            }
        }

        for (long v = 11; checkpointsAfterEvents && v <= 15; v++)
        {
            await log.WriteCheckpointAsync("s", v, Bytes($"state@{v}"));
            history.Checkpointed(v, Clock.GetUtcNow());
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        switch (deletion)
        {
            case PointInTimeDeletion.Checkpoints:
                await log.DeleteCheckpointsAsync("s", new CheckpointSelectionCriteria(MinVersion: 11, MaxVersion: 13));
                history.CheckpointsDeleted(11, 13);
                break;
            case PointInTimeDeletion.EventRange:
                await log.DeleteEventsToAsync("s", 13);
                history.EventsErased(13);
                break;
            default:
                await log.DeleteStreamAsync("s", 16);
                history.Deleted(16, Clock.GetUtcNow());
                Clock.Advance(TimeSpan.FromMinutes(1));
                await log.AppendAsync("s", 16, Batch("p17"));
                history.Appended(17, Clock.GetUtcNow());
                break;
        }

        Clock.Advance(TimeSpan.FromMinutes(1));
        int exact = 0;
        foreach (var (bound, label) in history.Bounds(boundKind))
        {
            var expected = history.StateAt(bound);
            if (bound.AsOf is not null && !ReadsByTime)
            {
                await Assert.ThrowsAsync<NotSupportedException>(() => log.ReadStreamAsync("s", bound).AsTask());
                exact++;
                continue;
            }

            StreamReadResult read;
            try
            {
                read = await log.ReadStreamAsync("s", bound);
            }
            catch (EventsReclaimedException reclaimed)
            {
                Assert.False(history.MustBeReadable(bound), $"{deletion}, as of {label}: reported reclaimed (oldest available {reclaimed.OldestAvailableVersion}), but the state as of it is kept");
                Assert.Equal("s", reclaimed.StreamId);
                continue;
            }

            string? wrong = history.Check(read, bound, expected);
            Assert.True(wrong is null, $"{deletion}, as of {label}: {wrong}");
            exact++;
        }

        Assert.True(exact > 0, $"{deletion}: no bound read succeeded");
    }
}

/// <summary>The kind of bound a point-in-time conformance case reads with.</summary>
public enum PointInTimeBound
{
    /// <summary><see cref="ReadBound.AtVersion"/>.</summary>
    Version,

    /// <summary><see cref="ReadBound.AtTime"/>.</summary>
    Time,
}

/// <summary>The deletion a point-in-time conformance case makes before it reads.</summary>
public enum PointInTimeDeletion
{
    /// <summary><see cref="IEventLog.DeleteCheckpointsAsync"/> of checkpoints 11..13 (of 11..15).</summary>
    Checkpoints,

    /// <summary><see cref="IEventLog.DeleteEventsToAsync"/> up to version 13.</summary>
    EventRange,

    /// <summary><see cref="IEventLog.DeleteStreamAsync"/> at version 16, then one append in the new incarnation.</summary>
    Stream,
}
