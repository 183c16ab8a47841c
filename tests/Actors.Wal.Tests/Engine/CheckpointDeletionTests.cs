using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// DeleteCheckpointsAsync on the file-backed log: deleted checkpoints leave reads at once and, after compaction, their
/// bytes are in no file of the log directory (verified by scanning every file), in both history modes and across a
/// process kill.
/// </summary>
public sealed class CheckpointDeletionTests : FileScanTestBase
{
    [Fact]
    public async Task DeleteCheckpointsAsync_OnlyCheckpointWithItsEventsStored_GoneFromEveryFileAfterCompaction()
    {
        int filler = 0;
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("s", 0, Events("1", "2", "3"));
            filler = await FillAsync(log, filler, 3);
            await log.WriteCheckpointAsync("s", 2, Bytes("SECRET-cp-2")); // below the version: the events stay needed
            filler = await RotateAsync(log, filler);
            await log.AppendAsync("s", 3, Events("4"));
            Assert.True(FilesContainMarker("SECRET-cp-2"), "precondition: the checkpoint is on disk");

            // Events a checkpoint covers are reclaimable: a space pass still running from the rotation may copy the stream
            // forward without events 1..2 (then the deletion is refused, rightly). Let it finish first.
            await log.WhenMaintenanceIdleAsync();

            var deleted = await log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.AtVersion(2));

            Assert.Equal([2L], deleted.DeletedVersions);
            Assert.NotEmpty(deleted.SegmentsToCompact);
            var read = await log.ReadStreamAsync("s");
            Assert.Null(read.Checkpoint);
            Assert.Equal(["1", "2", "3", "4"], read.Events.Select(e => Text(e.Payload)));
            filler = await SealActiveSegmentAndCompactAsync(log, filler);
            AssertInNoFile("SECRET-cp-2");
        }

        await using var reopened = await OpenAsync();
        var after = await reopened.ReadStreamAsync("s");
        Assert.Null(after.Checkpoint);
        Assert.Equal(["1", "2", "3", "4"], after.Events.Select(e => Text(e.Payload)));
        await AssertFillersSurviveAsync(reopened, filler);
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_RetainedHistoryUpToAVersion_OlderCheckpointsGoneAndEveryEventKept()
    {
        int filler = 0;
        await using (var log = await OpenAsync(o => o.RetainCheckpointedEvents = true))
        {
            for (int v = 1; v <= 7; v++)
            {
                await log.AppendAsync("s", v - 1, Events($"e{v}"));
                if (v is 2 or 4 or 6)
                {
                    await log.WriteCheckpointAsync("s", v, Bytes(v == 6 ? "state-6" : $"SECRET-cp-{v}"));
                }

                filler = await RotateAsync(log, filler);
            }

            // A space pass still running from the last rotation would copy the history forward without the superseded
            // checkpoints (the copy keeps only the newest): nothing left to delete. Let it finish first.
            await log.WhenMaintenanceIdleAsync();
            var deleted = await log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.UpToVersion(4));

            Assert.Equal([4L, 2L], deleted.DeletedVersions);
            filler = await SealActiveSegmentAndCompactAsync(log, filler);
            AssertInNoFile("SECRET-cp-2");
            AssertInNoFile("SECRET-cp-4");
            Assert.Equal(Enumerable.Range(1, 7).Select(v => $"e{v}"), (await log.ReadEventsAsync("s", 1, 7)).Select(e => Text(e.Payload)));
        }

        await using var reopened = await OpenAsync(o => o.RetainCheckpointedEvents = true);
        var read = await reopened.ReadStreamAsync("s");
        Assert.Equal(("state-6", 7L), (Text(read.Checkpoint!.State), read.Version));
        Assert.Equal(["e7"], read.Events.Select(e => Text(e.Payload)));
        var asOf3 = await reopened.ReadStreamAsync("s", ReadBound.AtVersion(3));
        Assert.Null(asOf3.Checkpoint);
        Assert.Equal(["e1", "e2", "e3"], asOf3.Events.Select(e => Text(e.Payload)));
        Assert.Equal(Enumerable.Range(1, 7).Select(v => $"e{v}"), (await reopened.ReadEventsAsync("s", 1, 7)).Select(e => Text(e.Payload)));
        await AssertFillersSurviveAsync(reopened, filler);
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_ThenProcessKillBeforeCompaction_ReopenedLogStillCompactsTheBytesAway()
    {
        int filler = 0;
        var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2"));
        await log.WriteCheckpointAsync("s", 1, Bytes("SECRET-cp-1"));
        filler = await FillAsync(log, filler, 3);
        await log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.All);
        await log.AbandonAsync(); // a process kill after the deletion was acknowledged, before any compaction
        Assert.True(FilesContainMarker("SECRET-cp-1"), "precondition: the deleted checkpoint is still on disk after the kill");

        await using (var reopened = await OpenAsync())
        {
            Assert.Null((await reopened.ReadStreamAsync("s")).Checkpoint);
            filler = await SealActiveSegmentAndCompactAsync(reopened, filler);
            AssertInNoFile("SECRET-cp-1");
        }

        await using var again = await OpenAsync();
        var read = await again.ReadStreamAsync("s");
        Assert.Null(read.Checkpoint);
        Assert.Equal(["1", "2"], read.Events.Select(e => Text(e.Payload)));
        await AssertFillersSurviveAsync(again, filler);
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_NewestAfterItsEventsWereReclaimed_IsRejectedAndTheStateSurvives()
    {
        int filler = 0;
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2"));
        filler = await RotateAsync(log, filler);
        await log.WriteCheckpointAsync("s", 2, Bytes("state-2"));
        for (int i = 0; i < filler; i++)
        {
            await log.DeleteStreamAsync($"f{i}", 1);
        }

        // The segment of events 1..2 dies (the checkpoint covers them, the fillers are deleted) and is reclaimed.
        await SealActiveSegmentAndCompactAsync(log, filler);
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("s", 1, 2));

        var rejected = await Assert.ThrowsAsync<CheckpointDeletionRejectedException>(
            async () => await log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.AtVersion(2)));

        Assert.Contains("could not be rebuilt", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal("state-2", Text((await log.ReadStreamAsync("s")).Checkpoint!.State));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeleteCheckpointsAsync_OneOfFiveThenCompactionAndReopen_OnlyItsBytesGoAndTheOthersStayReadable(bool retainHistory)
    {
        int filler = 0;
        await using (var log = await OpenAsync(o => o.RetainCheckpointedEvents = retainHistory))
        {
            for (int v = 1; v <= 16; v++)
            {
                await log.AppendAsync("s", v - 1, Events($"e{v}"));
            }

            for (int v = 11; v <= 15; v++)
            {
                await log.WriteCheckpointAsync("s", v, Bytes(v == 13 ? "SECRET-cp-13" : $"state-{v}"));
            }

            var deleted = await log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.AtVersion(13));

            Assert.Equal([13L], deleted.DeletedVersions);
            await AssertOthersReadableAsync(log, "after the deletion");
            filler = await SealActiveSegmentAndCompactAsync(log, filler);
            AssertInNoFile("SECRET-cp-13");
            await AssertOthersReadableAsync(log, "after the deletion's compaction");
            filler = await SealActiveSegmentAndCompactAsync(log, filler);
            await AssertOthersReadableAsync(log, "after a second compaction");
        }

        await using var reopened = await OpenAsync(o => o.RetainCheckpointedEvents = retainHistory);
        await AssertOthersReadableAsync(reopened, "after a reopen");
        AssertInNoFile("SECRET-cp-13");
        await AssertFillersSurviveAsync(reopened, filler);

        static async Task AssertOthersReadableAsync(WriteAheadLog log, string phase)
        {
            foreach (long v in new long[] { 11, 12, 14, 15 })
            {
                var read = await log.ReadStreamAsync("s", ReadBound.AtVersion(v));
                Assert.True(read.Checkpoint is { } c && c.Version == v && Text(c.State) == $"state-{v}", $"{phase}: as of version {v} the read returned checkpoint {read.Checkpoint?.Version.ToString() ?? "none"}, expected state-{v}");
                Assert.Empty(read.Events);
            }

            var asOf13 = await log.ReadStreamAsync("s", ReadBound.AtVersion(13));
            Assert.True(asOf13.Checkpoint is { Version: 12 }, $"{phase}: as of version 13 the read returned checkpoint {asOf13.Checkpoint?.Version.ToString() ?? "none"}, expected 12");
            Assert.Equal(["e13"], asOf13.Events.Select(e => Text(e.Payload)));
            var latest = await log.ReadStreamAsync("s");
            Assert.Equal((15L, 16L), (latest.Checkpoint!.Version, latest.Version));
            Assert.Equal(["e16"], latest.Events.Select(e => Text(e.Payload)));
        }
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_KeptCheckpointsExceedOneRecord_IsRejectedAndNothingIsDeletedEvenByCompaction()
    {
        await using var log = await OpenAsync();
        for (int v = 1; v <= 7; v++)
        {
            await log.AppendAsync("s", v - 1, Events($"e{v}"));
        }

        for (int v = 1; v <= 6; v++)
        {
            await log.WriteCheckpointAsync("s", v, v == 3 ? Bytes("SECRET-cp-3") : new byte[16_000]);
        }

        // Every record of the stream is live (each checkpoint is below the stream's version): no space pass moved it.
        await log.WhenMaintenanceIdleAsync();
        Assert.Equal(1, (await log.ReadStreamAsync("s", ReadBound.AtVersion(1))).Checkpoint?.Version);

        // Deleting 3 keeps 1, 2, 4, 5 and 6 (80,000 bytes of state): more than one record of a 64 KiB segment holds.
        var rejected = await Assert.ThrowsAsync<CheckpointDeletionRejectedException>(
            async () => await log.DeleteCheckpointsAsync("s", CheckpointSelectionCriteria.AtVersion(3)));

        Assert.Contains("more than one record can hold", rejected.Reason, StringComparison.Ordinal);
        Assert.False(log.ErasePassPending, "a rejected deletion must schedule no erase pass");
        await log.CompactAsync();
        await log.WhenMaintenanceIdleAsync();
        Assert.Equal("SECRET-cp-3", Text((await log.ReadStreamAsync("s", ReadBound.AtVersion(3))).Checkpoint!.State));
        Assert.Equal(2, (await log.ReadStreamAsync("s", ReadBound.AtVersion(2))).Checkpoint!.Version);
        Assert.Equal(6, (await log.ReadStreamAsync("s")).Checkpoint!.Version);
        Assert.True(FilesContainMarker("SECRET-cp-3"), "a rejected deletion must leave the checkpoint's bytes in place");
    }
}
