namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// DeleteCheckpointsAsync: the selected checkpoints leave reads at once, and only they: the checkpoints not selected stay
/// readable as of their versions; events and the version stay; deleting the newest checkpoint is refused while the state
/// could not be rebuilt without it.
/// </summary>
public abstract partial class EventLogConformanceTests
{
    [Fact]
    public async Task DeleteCheckpointsAsync_NewestWithItsEventsStored_ReadsFallBackToTheOlderCheckpoint()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 5);
        await log.WriteCheckpointAsync("s", 2, Bytes("state@2"));
        await log.WriteCheckpointAsync("s", 4, Bytes("state@4"));

        var deleted = await log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.AtVersion(4));

        Assert.Equal([4L], deleted.DeletedVersions);
        AssertRead(await log.ReadStreamAsync("s"), 2, "state@2", 3, ["p3", "p4", "p5"], 5);
        Assert.Equal(new StreamInfo(5, 2, false), log.GetStreamInfo("s"));
        var appended = await log.AppendAsync("s", 5, Batch("p6"));
        Assert.Equal(6, appended.FirstVersion);
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_All_ReadsReplayEveryEvent()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 3);
        await log.WriteCheckpointAsync("s", 1, Bytes("state@1"));
        await log.WriteCheckpointAsync("s", 3, Bytes("state@3"));

        var deleted = await log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.All);

        Assert.Contains(3L, deleted.DeletedVersions);
        Assert.Equal(3L, deleted.DeletedVersions[0]);
        AssertRead(await log.ReadStreamAsync("s"), null, null, 1, ["p1", "p2", "p3"], 3);
        Assert.Equal(new StreamInfo(3, 0, false), log.GetStreamInfo("s"));
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_ByWriteTime_DeletesOnlyTheOlderOnes()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 4);
        await log.WriteCheckpointAsync("s", 2, Bytes("state@2"));
        DateTimeOffset first = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromMinutes(5));
        await log.WriteCheckpointAsync("s", 4, Bytes("state@4"));
        if (!SelectsCheckpointsByTime)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.WrittenAtOrBefore(first)).AsTask());
            AssertRead(await log.ReadStreamAsync("s", ReadBound.AtVersion(2)), 2, "state@2", 3, [], 2);
            return;
        }

        var deleted = await log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.WrittenAtOrBefore(first));

        Assert.DoesNotContain(4L, deleted.DeletedVersions);
        AssertRead(await log.ReadStreamAsync("s"), 4, "state@4", 5, [], 4);
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_NewestWhoseEventsWereErased_IsRejectedAndDeletesNothing()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 4);
        await log.WriteCheckpointAsync("s", 3, Bytes("state@3"));
        await log.DeleteEventsToAsync("s", 3);

        var rejected = await Assert.ThrowsAsync<CheckpointDeletionRejectedException>(
            () => log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.AtVersion(3)).AsTask());

        Assert.Equal("s", rejected.StreamId);
        Assert.Contains("version 3", rejected.Message, StringComparison.Ordinal);
        AssertRead(await log.ReadStreamAsync("s"), 3, "state@3", 4, ["p4"], 4);
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_NothingSelected_ChangesNothing()
    {
        var log = await NewLogAsync();
        await AppendNumberedAsync(log, "s", 2);
        await log.WriteCheckpointAsync("s", 2, Bytes("state@2"));

        var none = await log.DeleteCheckpointsAsync("s", new CheckpointSelectionCriteria(MaxVersion: 1));
        var unknown = await log.DeleteCheckpointsAsync("unknown", CheckpointSelectionCriteria.All);

        Assert.Empty(none.DeletedVersions);
        Assert.Empty(unknown.DeletedVersions);
        AssertRead(await log.ReadStreamAsync("s"), 2, "state@2", 3, [], 2);
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_OneOfFive_OnlyThatOneLeavesReads()
    {
        var log = await NewLogAsync();
        await WriteCheckpointsElevenToFifteenAsync(log, "s");

        var deleted = await log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.AtVersion(13));

        Assert.Equal([13L], deleted.DeletedVersions);
        await AssertCheckpointsElevenToFifteenAsync(log, "s", kept: [11, 12, 14, 15]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeleteCheckpointsAsync_OlderRangeByBounds_TheUnselectedNewerOnesStay(bool byTime)
    {
        var log = await NewLogAsync();
        var written = await WriteCheckpointsElevenToFifteenAsync(log, "s");
        var criteria = byTime
            ? new CheckpointSelectionCriteria(MinTimestamp: written[11], MaxTimestamp: written[13])
            : new CheckpointSelectionCriteria(MinVersion: 11, MaxVersion: 13);
        if (byTime && !SelectsCheckpointsByTime)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => log.DeleteCheckpointsAsync("s", criteria).AsTask());
            await AssertCheckpointsElevenToFifteenAsync(log, "s", kept: [11, 12, 13, 14, 15]);
            return;
        }

        var deleted = await log.DeleteCheckpointsAsync("s", criteria);

        Assert.Equal([13L, 12L, 11L], deleted.DeletedVersions);
        await AssertCheckpointsElevenToFifteenAsync(log, "s", kept: [14, 15]);
    }

    /// <summary>
    /// Appends p1..p16 to <paramref name="streamId"/> and writes checkpoints "state@11".."state@15" at versions 11..15, the
    /// clock advanced a minute before each; returns each checkpoint's write time by version.
    /// </summary>
    protected async Task<Dictionary<long, DateTimeOffset>> WriteCheckpointsElevenToFifteenAsync(IEventLog log, string streamId)
    {
        await AppendNumberedAsync(log, streamId, 16);
        var written = new Dictionary<long, DateTimeOffset>();
        for (long v = 11; v <= 15; v++)
        {
            written[v] = Clock.Advance(TimeSpan.FromMinutes(1));
            await log.WriteCheckpointAsync(streamId, v, Bytes($"state@{v}"));
        }

        return written;
    }

    /// <summary>
    /// Asserts the reads of a stream <see cref="WriteCheckpointsElevenToFifteenAsync"/> wrote after checkpoints were deleted:
    /// as of each <paramref name="kept"/> version its checkpoint; as of a deleted one the next older kept checkpoint and the
    /// events after it, or (none kept below) a replay of every event or the events reported reclaimed (they are covered by a
    /// kept checkpoint, so a log may reclaim them); never a deleted checkpoint; the latest state and the index unchanged.
    /// </summary>
    protected static async Task AssertCheckpointsElevenToFifteenAsync(IEventLog log, string streamId, long[] kept)
    {
        for (long v = 11; v <= 15; v++)
        {
            long at = v;
            long? older = kept.Where(k => k <= at).Select(k => (long?)k).LastOrDefault();
            if (older is { } k)
            {
                var read = await log.ReadStreamAsync(streamId, ReadBound.AtVersion(v));
                AssertRead(read, k, $"state@{k}", k + 1, Numbered(k + 1, v), v);
                continue;
            }

            try
            {
                AssertRead(await log.ReadStreamAsync(streamId, ReadBound.AtVersion(v)), null, null, 1, Numbered(1, v), v);
            }
            catch (EventsReclaimedException reclaimed)
            {
                Assert.True(reclaimed.OldestAvailableVersion > v, $"as of version {v}: reported reclaimed, but the oldest version still available is {reclaimed.OldestAvailableVersion}");
            }
        }

        AssertRead(await log.ReadStreamAsync(streamId), 15, "state@15", 16, ["p16"], 16);
        Assert.Equal(new StreamInfo(16, 15, false), log.GetStreamInfo(streamId));
    }
}
