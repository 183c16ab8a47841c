using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary><see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>: checkpoints shorten recovery but reclaim no history.</summary>
public sealed class RetainedHistoryTests : LogTestBase
{
    [Fact]
    public async Task CompactAsync_RetainCheckpointedEvents_EventsCoveredByCheckpointStayReadableAcrossReopen()
    {
        await using (var log = await OpenAsync(o => { o.RetainCheckpointedEvents = true; o.CompactionLiveRatio = 0.5; }))
        {
            await FillAsync(log, "s", 60);
            await log.WriteCheckpointAsync("s", 60, Bytes("state@60"));
            await log.AppendAsync("s", 60, Events("61"));

            CompactionResult result = await log.CompactAsync();

            Assert.Equal((0, 0), (result.SegmentsDeleted, result.SegmentsCompacted));
            Assert.Equal(Enumerable.Range(1, 61).Select(v => (long)v), (await log.ReadEventsAsync("s", 1, 61)).Select(e => e.Version));
            StreamReadResult read = await log.ReadStreamAsync("s");
            Assert.Equal(("state@60", 61L), (Text(read.Checkpoint!.State), read.Events.Single().Version));
        }

        // Recovery rebuilds the index with the same rule (no snapshot: every record is replayed).
        File.Delete(Dir.File(Recovery.RecoverySnapshot.FileName));
        await using var reopened = await OpenAsync(o => o.RetainCheckpointedEvents = true);
        await reopened.CompactAsync();
        Assert.Equal(61, (await reopened.ReadEventsAsync("s", 1, 61)).Count);
    }

    [Fact]
    public async Task CompactAsync_RetainCheckpointedEvents_SupersededCheckpointsKeepTheOldestEventsReachable()
    {
        await using var log = await OpenAsync(o => o.RetainCheckpointedEvents = true);
        await log.AppendAsync("s", 0, Events("1", "2"));
        for (int i = 0; i < 60; i++)
        {
            // 180 KB of checkpoints over 64 KB segments, all superseded but the last: the reads walk through them.
            await log.WriteCheckpointAsync("s", 2, new byte[3000]);
        }

        await log.AppendAsync("s", 2, Events("3"));

        await log.CompactAsync();

        Assert.Equal(0, log.GetStatistics().SegmentsDeleted);
        Assert.Equal(["1", "2", "3"], (await log.ReadEventsAsync("s", 1, 3)).Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task CompactAsync_RetainCheckpointedEvents_DeletedStreamIsReclaimed()
    {
        await using var log = await OpenAsync(o => o.RetainCheckpointedEvents = true);
        await FillAsync(log, "gone", 60);
        await log.WriteCheckpointAsync("gone", 60, Bytes("cp"));
        await log.DeleteStreamAsync("gone", 60);
        await log.AppendAsync("other", 0, Events("x"));

        await log.CompactAsync();

        Assert.True(log.GetStatistics().SegmentsDeleted > 0, "the deleted stream's segments were kept");
        Assert.Equal(new StreamInfo(60, 0, true), log.GetStreamInfo("gone"));
    }

    [Fact]
    public async Task CompactAsync_ReopenedWithoutRetainCheckpointedEvents_ReclaimsCoveredEvents()
    {
        await using (var log = await OpenAsync(o => o.RetainCheckpointedEvents = true))
        {
            await FillAsync(log, "s", 60);
            await log.WriteCheckpointAsync("s", 60, Bytes("cp"));
            await log.AppendAsync("s", 60, Events("61"));
        }

        File.Delete(Dir.File(Recovery.RecoverySnapshot.FileName));
        await using var reopened = await OpenAsync(o => o.CompactionLiveRatio = 0);
        await reopened.CompactAsync();

        Assert.True(reopened.GetStatistics().SegmentsDeleted > 0, "turning the option off reclaimed nothing");
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await reopened.ReadEventsAsync("s", 1, 61));
    }

    private static async Task FillAsync(WriteAheadLog log, string stream, int events)
    {
        for (int i = 0; i < events; i++)
        {
            await log.AppendAsync(stream, i, [new byte[3000]]);
        }
    }
}
