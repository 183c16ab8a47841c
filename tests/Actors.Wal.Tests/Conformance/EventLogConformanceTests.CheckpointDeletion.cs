namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// DeleteCheckpointsAsync: the selected checkpoints leave reads at once; events and the version stay; deleting the newest
/// checkpoint is refused while the state could not be rebuilt without it.
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
}
