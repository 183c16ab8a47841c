using System.Text;
using Actors.Wal.Segments;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// DeleteEventsToAsync: erased events are unreadable at once and, after compaction, their bytes are in no file of the
/// log directory (verified by scanning every file).
/// </summary>
public sealed class EraseTests : FileScanTestBase
{
    private static readonly byte[] Marker = Encoding.UTF8.GetBytes("SECRET-");

    [Fact]
    public async Task DeleteEventsToAsync_AfterCompaction_ErasedBytesAreInNoFileAndTheRestSurvives()
    {
        int filler = 0;
        await using (var log = await OpenAsync())
        {
            // The secrets share segments with many live filler streams: those segments are not sparse, so only the
            // erase makes compaction take them.
            for (int i = 1; i <= 5; i++)
            {
                await log.AppendAsync("pii", i - 1, Events($"SECRET-{i}"));
                filler = await FillAsync(log, filler, 3);
            }

            await log.WriteCheckpointAsync("pii", 5, Bytes("state-5"));
            await log.AppendAsync("pii", 5, Events("kept-6"));
            Assert.True(FilesContainMarker(), "precondition: the secrets are on disk");

            var result = await log.DeleteEventsToAsync("pii", 5);

            Assert.Equal(5, result.EventsErased);
            Assert.NotEmpty(result.SegmentsToCompact);
            await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("pii", 1, 6));
            var read = await log.ReadStreamAsync("pii");
            Assert.Equal("state-5", Text(read.Checkpoint!.State));
            Assert.Equal(["kept-6"], read.Events.Select(e => Text(e.Payload)));
            Assert.Equal(6, read.Version);

            filler = await SealActiveSegmentAndCompactAsync(log, filler);
            Assert.False(FilesContainMarker(), $"erased bytes are still in {string.Join(", ", FilesWithMarker())}");
        }

        await using var reopened = await OpenAsync();
        var after = await reopened.ReadStreamAsync("pii");
        Assert.Equal("state-5", Text(after.Checkpoint!.State));
        Assert.Equal(["kept-6"], after.Events.Select(e => Text(e.Payload)));
        for (int i = 0; i < filler; i++)
        {
            Assert.Single((await reopened.ReadStreamAsync($"f{i}")).Events);
        }
    }

    [Fact]
    public async Task DeleteEventsToAsync_ThenCrashBeforeCompaction_ReopenedLogStillCompactsTheErasedBytesAway()
    {
        int filler = 0;
        var log = await OpenAsync();
        for (int i = 1; i <= 5; i++)
        {
            await log.AppendAsync("pii", i - 1, Events($"SECRET-{i}"));
            filler = await FillAsync(log, filler, 3);
        }

        // Everything is in the active segment, which no pass compacts: the erased records are still on disk at the
        // crash, and the segment is mostly live, so only the durable erase mark makes the reopened log take it.
        Assert.Equal(1, log.GetStatistics().SegmentCount);
        var result = await log.DeleteEventsToAsync("pii", 4);
        Assert.Equal(4, result.EventsErased);
        Assert.Equal(1, log.GetStatistics().SegmentCount);
        await log.AbandonAsync(); // a process kill after the erase was acknowledged, before any compaction
        Assert.True(FilesContainMarker("SECRET-1"), "precondition: the erased records are still on disk after the crash");

        await using (var reopened = await OpenAsync())
        {
            await Assert.ThrowsAsync<EventsReclaimedException>(async () => await reopened.ReadEventsAsync("pii", 1, 5));
            filler = await SealActiveSegmentAndCompactAsync(reopened, filler);
            for (int i = 1; i <= 4; i++)
            {
                Assert.False(FilesContainMarker($"SECRET-{i}"), $"erased SECRET-{i} is still in {string.Join(", ", FilesWithMarker(Encoding.UTF8.GetBytes($"SECRET-{i}")))}");
            }

            Assert.True(FilesContainMarker("SECRET-5"), "the kept event survives compaction");
        }

        await using var again = await OpenAsync();
        var read = await again.ReadStreamAsync("pii");
        Assert.Equal(["SECRET-5"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal(5, read.Version);
        for (int i = 0; i < filler; i++)
        {
            Assert.Single((await again.ReadStreamAsync($"f{i}")).Events);
        }
    }

    [Fact]
    public async Task DeleteEventsToAsync_SupersededCheckpointInASegmentWithoutErasedEvents_ItsBytesGoAfterCompaction()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("pii", 0, Events("1", "2"));
        int filler = await RotateAsync(log, 0);
        // The old checkpoint shares a segment with live filler only: the segment is not sparse and holds no erased event.
        await log.WriteCheckpointAsync("pii", 2, Bytes("SECRET-state-2"));
        filler = await RotateAsync(log, filler);
        await log.AppendAsync("pii", 2, Events("3"));
        await log.WriteCheckpointAsync("pii", 3, Bytes("state-3"));

        await log.DeleteEventsToAsync("pii", 3);
        filler = await SealActiveSegmentAndCompactAsync(log, filler);

        Assert.False(FilesContainMarker("SECRET-state-2"), $"the superseded checkpoint is still in {string.Join(", ", FilesWithMarker(Encoding.UTF8.GetBytes("SECRET-state-2")))}");
        var read = await log.ReadStreamAsync("pii");
        Assert.Equal("state-3", Text(read.Checkpoint!.State));
        Assert.Equal(3, read.Version);
        for (int i = 0; i < filler; i++)
        {
            Assert.Single((await log.ReadStreamAsync($"f{i}")).Events);
        }
    }

    [Fact]
    public async Task DeleteEventsToAsync_EverythingWithoutCheckpoint_KeepsTheVersionAndAppendsContinue()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("s", 0, Events("SECRET-a", "SECRET-b", "SECRET-c"));

            var result = await log.DeleteEventsToAsync("s", 3);

            Assert.Equal(3, result.EventsErased);
            var read = await log.ReadStreamAsync("s");
            Assert.Empty(read.Events);
            Assert.Null(read.Checkpoint);
            Assert.Equal(3, read.Version);
            var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("s", 1, 3));
            Assert.Equal(4, reclaimed.OldestAvailableVersion);
            await log.AppendAsync("s", 3, Events("d"));
        }

        await using var reopened = await OpenAsync();
        var after = await reopened.ReadStreamAsync("s");
        Assert.Equal(4, after.Version);
        Assert.Equal(["d"], after.Events.Select(e => Text(e.Payload)));
    }

    [Theory]
    [InlineData(SyncPolicy.Always)]
    [InlineData(SyncPolicy.None)]
    public async Task DeleteEventsToAsync_ThenProcessKill_ErasedEventsStayUnreadable(SyncPolicy policy)
    {
        var log = await OpenAsync(o => o.SyncPolicy = policy);
        await log.AppendAsync("s", 0, Events("SECRET-1", "SECRET-2", "3"));
        await log.DeleteEventsToAsync("s", 2);
        await log.AbandonAsync(); // a process kill right after the erase was acknowledged

        await using var reopened = await OpenAsync(o => o.SyncPolicy = policy);
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await reopened.ReadEventsAsync("s", 1, 3));
        var read = await reopened.ReadStreamAsync("s");
        Assert.Equal(["3"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal(3, read.Version);
    }

    [Fact]
    public async Task DeleteEventsToAsync_PartOfTheHistory_KeepsTheLaterEvents()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2", "3", "4"));

        await log.DeleteEventsToAsync("s", 2);

        Assert.Equal(["3", "4"], (await log.ReadEventsAsync("s", 3, 4)).Select(e => Text(e.Payload)));
        Assert.Equal(["3", "4"], (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("s", 2, 4));
    }

    [Fact]
    public async Task ReadStreamAsync_PointInTimeInsideTheErasedHistory_ThrowsReclaimed()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1", "2", "3", "4"));
        await log.DeleteEventsToAsync("s", 2);

        var reclaimed = await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadStreamAsync("s", ReadBound.AtVersion(2)));
        Assert.Equal(3, reclaimed.OldestAvailableVersion);

        // As of version 3 the state needs events 1..3 and no checkpoint covers 1..2: event 3 alone is not that state (issue 62).
        var partial = await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadStreamAsync("s", ReadBound.AtVersion(3)));
        Assert.Equal((1L, 3L), (partial.RequestedFromVersion, partial.OldestAvailableVersion));
        Assert.Equal(["3", "4"], (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task DeleteEventsToAsync_BeyondTheStreamVersion_IsRefused()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.DeleteEventsToAsync("s", 2));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.DeleteEventsToAsync("missing", 1));
        Assert.Equal(["1"], (await log.ReadStreamAsync("s")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task DeleteEventsToAsync_RetainedHistoryBelowTheCheckpoint_KeepsTheLaterEventsAndTheCheckpoint()
    {
        await using var log = await OpenAsync(o => o.RetainCheckpointedEvents = true);
        await log.AppendAsync("s", 0, Events("1", "2", "3"));
        await log.WriteCheckpointAsync("s", 3, Bytes("cp"));

        var erased = await log.DeleteEventsToAsync("s", 1);

        Assert.Equal(1, erased.EventsErased);
        Assert.Equal(["2", "3"], (await log.ReadEventsAsync("s", 2, 3)).Select(e => Text(e.Payload)));
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("s", 1, 3));
        var read = await log.ReadStreamAsync("s");
        Assert.Equal(("cp", 3L), (Text(read.Checkpoint!.State), read.Version));
        Assert.Empty(read.Events);
        Assert.Equal(new StreamInfo(3, 3, false), log.GetStreamInfo("s"));
    }

    [Fact]
    public async Task DeleteEventsToAsync_ErasedRecordsOnlyInFilesKeptForReuse_ReturnsAndTheFilesAreDeleted()
    {
        int filler = 0;
        await using var log = await OpenAsync();

        // A secret in each of two segments that then die (a checkpoint over the secrets, tombstones over their
        // fillers): both files are kept for reuse with every byte still in them, and at most one of them is taken for
        // the next spare (and zeroed) before the erase.
        for (int i = 1; i <= 2; i++)
        {
            await log.AppendAsync("pii", i - 1, Events($"SECRET-{i}"));
            filler = await RotateAsync(log, filler);
        }

        int deadFillers = filler;
        await log.WriteCheckpointAsync("pii", 2, Bytes("state-2"));
        for (int i = 0; i < deadFillers; i++)
        {
            await log.DeleteStreamAsync($"f{i}", 1);
        }

        filler = await SealActiveSegmentAndCompactAsync(log, filler);
        Assert.True(
            FilesWithMarker().Any(f => f.EndsWith(SegmentManager.RecycledSuffix, StringComparison.Ordinal)),
            $"precondition: a file kept for reuse holds a secret (files with it: {string.Join(", ", FilesWithMarker())})");

        // The chain below the checkpoint runs into the reclaimed segments (this erase used to retry forever).
        await log.DeleteEventsToAsync("pii", 2);

        Assert.False(FilesContainMarker(), $"erased bytes are still in {string.Join(", ", FilesWithMarker())}");
        Assert.Equal("state-2", Text((await log.ReadStreamAsync("pii")).Checkpoint!.State));
    }

    private bool FilesContainMarker() => FilesWithMarker(Marker).Any();

    private IEnumerable<string> FilesWithMarker() => FilesWithMarker(Marker);
}
