using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Recovery;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// A relocation copy of a stream that is idle in the index (no hot entry, nothing of it in flight) replaces the stream's
/// idle entry in place: the stream stays out of the hot tier. A record of the stream framed while its copy awaits the
/// commit continues from the copy.
/// </summary>
public sealed class IdleRelocationTests : LogTestBase
{
    [Fact]
    public async Task SpacePass_StreamIdleSinceOpen_CopiedWithoutEnteringTheHotTier()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("idle", 0, Events("i1", "i2"));
        }

        await using (var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5))
        {
            Assert.Equal(0, log.GetStatistics().HotStreamCount);
            uint idleSegment = log.GetSegmentSpace().Single(s => s.LiveBytes > 0).SegmentId;

            long busy = await RotateUntilSegmentAsync(log, 0, segment: 4);

            var stats = log.GetStatistics();
            Assert.DoesNotContain(log.GetSegmentSpace(), s => s.SegmentId == idleSegment); // copied out, then deleted
            Assert.Equal(1, stats.HotStreamCount); // "busy" alone: the copy left "idle" idle
            Assert.Equal(["i1", "i2"], (await log.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));
            AssertLiveBytesMatch(log);

            // The idle entry now names the copy: a later append chains onto it.
            Assert.Equal(3, (await log.AppendAsync("idle", 2, Events("i3"))).LastVersion);
            await RotateUntilSegmentAsync(log, busy, segment: 8);
            Assert.Equal(["i1", "i2", "i3"], (await log.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));
            AssertLiveBytesMatch(log);
        }

        await using var reopened = await OpenAsync();
        var read = await reopened.ReadStreamAsync("idle");
        Assert.Equal(["i1", "i2", "i3"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal(3, read.Version);
    }

    [Fact]
    public async Task SpacePass_ManyIdleStreamsCopied_ReadsTheirRecordsInFewWindowsAndNotAgainOnTheAppendPath()
    {
        const int streams = 300;
        await WriteIdleStreamsAsync(streams);

        await using (var log = await OpenOnFilesAsync(o => o.CompactionLiveRatio = 0.5))
        {
            Assert.Equal(0, log.GetStatistics().HotStreamCount);
            int readsBefore = Volatile.Read(ref Files.Reads);

            await RotateUntilSegmentAsync(log, 0, segment: 4);

            int reads = Volatile.Read(ref Files.Reads) - readsBefore;
            var stats = log.GetStatistics();
            Assert.Equal(streams, stats.StreamsRelocated);
            Assert.Equal(0, stats.IdleCopySearches); // every copy framed at the slot compaction found, without a search
            Assert.Equal(1, stats.HotStreamCount);

            // Compaction walks the streams newest record first with one cursor, so a window serves the records of many
            // (one 4 KiB read per stream before), and checks each record's id, so the writer takes the idle slot that
            // still points there without reading the record again (one more read per copied stream, on the append path,
            // before). 600 reads before both, about 300 with either alone.
            Assert.True(reads < streams / 10, $"{reads} reads to copy {streams} idle streams");
            Assert.Equal(0, stats.CorruptRecordsSkipped);
            await AssertIdleStreamsReadAsync(log, streams);

            AssertLiveBytesMatch(log);
        }

        await using var reopened = await OpenOnFilesAsync();
        await AssertIdleStreamsReadAsync(reopened, streams);
    }

    [Fact]
    public async Task SpacePass_SlotNoLongerHoldsTheStream_WriterSearchesCountsAndCopiesIntoTheStreamsOwnSlot()
    {
        const int streams = 300;
        await WriteIdleStreamsAsync(streams);

        await using (var log = await OpenOnFilesAsync(o => o.CompactionLiveRatio = 0.5))
        {
            Assert.Equal(0, log.GetStatistics().HotStreamCount);

            // Every copy names a neighbour's slot (slots 0-299 pair up as 0-1, 2-3, ...): a slot that holds another
            // stream, as one does after a demotion rebuilt the index between compaction's read and the writer's framing.
            log.RedirectIdleSlotsForTests(static slot => slot ^ 1);
            await RotateUntilSegmentAsync(log, 0, segment: 4);

            var stats = log.GetStatistics();
            Assert.Equal(streams, stats.StreamsRelocated);
            Assert.Equal(streams, stats.IdleCopySearches); // each copy found its stream by a search instead
            Assert.Equal(1, stats.HotStreamCount); // "busy" alone: the copies stayed idle
            Assert.Equal(0, stats.CorruptRecordsSkipped);
            // Applied to the neighbour's slot, a copy would leave this stream's entry pointing at the old segment (deleted)
            // and the neighbour's at this stream's record.
            await AssertIdleStreamsReadAsync(log, streams);

            AssertLiveBytesMatch(log);
        }

        await using var reopened = await OpenOnFilesAsync();
        await AssertIdleStreamsReadAsync(reopened, streams);
    }

    [Fact]
    public async Task AppendAsync_WhileAnIdleStreamsCopyAwaitsItsFsync_ContinuesFromTheCopy()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("idle", 0, Events("i1", "i2", "i3"));
        }

        await using (var log = await OpenOnFilesAsync())
        {
            Assert.Equal(0, log.GetStatistics().HotStreamCount);
            uint active = log.GetSegmentSpace().Max(s => s.SegmentId);
            using var gate = new ManualResetEventSlim(false);
            Files.GatedFilePrefix = SegmentHeader.FileName(active);
            Files.FileGate = gate;

            // The erase copies i2 and i3 forward as one relocation record of the idle stream; its commit waits in the fsync.
            var erase = log.DeleteEventsToAsync("idle", 1).AsTask();
            Assert.True(await Files.FileGateEntered.WaitAsync(TimeSpan.FromSeconds(60)), "the copy never reached its fsync");
            long framed = log.GetStatistics().AppendedRecords;

            // Framed while the copy is written but not applied: it must chain onto the copy, not onto the erased records.
            var append = log.AppendAsync("idle", 3, Events("i4")).AsTask();
            await PollAsync(() => log.GetStatistics().AppendedRecords > framed, "the append was not framed during the copy's fsync");
            Assert.False(erase.IsCompleted, "the erase completed before its fsync");
            Files.FileGate = null;
            gate.Set();

            await erase;
            Assert.Equal(4, (await append).LastVersion);
            Assert.Equal(1, log.GetStatistics().HotStreamCount); // the append made it hot
            Assert.Equal(["i2", "i3", "i4"], (await log.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));
            AssertLiveBytesMatch(log);
        }

        await using var reopened = await OpenAsync();
        var read = await reopened.ReadStreamAsync("idle");
        Assert.Equal(["i2", "i3", "i4"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal([2L, 3L, 4L], read.Events.Select(e => e.Version));
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await reopened.ReadEventsAsync("idle", 1, 1));
    }

    /// <summary>
    /// Idle streams copied in place are in the next recovery snapshot delta: after a crash, the whole snapshot alone would
    /// name their old segment, deleted since.
    /// </summary>
    [Fact]
    public async Task Open_AfterACrashFollowingInPlaceCopies_TheDeltaCarriesTheCopiedIdleStreams()
    {
        int fillers = 0;
        await using (var log = await OpenAsync())
        {
            // Segment 1 full of one-event streams (dense: never compacted), then two idle streams in segment 2.
            while (log.GetStatistics().SegmentCount < 2)
            {
                await log.AppendAsync($"filler-{fillers++}", 0, [new byte[100]]);
            }

            await log.AppendAsync("idle-a", 0, Events("a1"));
            await log.AppendAsync("idle-b", 0, Events("b1", "b2"));
        }

        static void Options(WriteAheadLogOptions o)
        {
            o.CompactionLiveRatio = 0.5;
            o.SnapshotDeltaMinStreams = 1;
        }

        await using (var log = await OpenAsync(Options))
        {
            await RotateUntilSegmentAsync(log, 0, segment: 6);
            Assert.DoesNotContain(log.GetSegmentSpace(), s => s.SegmentId == 2); // the idle streams were copied out of it
            Assert.Equal(1, log.GetStatistics().HotStreamCount);
            Assert.True(log.GetStatistics().SnapshotDeltasWritten > 0, "no delta was written after the copies");
            AssertLiveBytesMatch(log);
            await log.AbandonAsync();
        }

        var full = RecoverySnapshot.TryParse(File.ReadAllBytes(Dir.File(RecoverySnapshot.FileName)), out string? reason);
        Assert.True(full is not null, reason);
        var staleA = Assert.Single(full.Streams, e => e.Hash == StreamHash.Compute(System.Text.Encoding.UTF8.GetBytes("idle-a")));
        Assert.Equal(2u, staleA.LatestSegment); // the whole snapshot alone would point into the deleted segment
        Assert.True(File.Exists(Dir.File(RecoverySnapshotDelta.FileName)), "the crash left no delta");

        await using var reopened = await OpenAsync(Options);
        var recovery = reopened.GetStatistics().Recovery;
        Assert.True(recovery.SegmentsScanned < recovery.Segments, $"scanned {recovery.SegmentsScanned} of {recovery.Segments} segments: the snapshot did not serve");
        Assert.Equal(["a1"], (await reopened.ReadStreamAsync("idle-a")).Events.Select(e => Text(e.Payload)));
        Assert.Equal(["b1", "b2"], (await reopened.ReadStreamAsync("idle-b")).Events.Select(e => Text(e.Payload)));
        Assert.Single((await reopened.ReadStreamAsync($"filler-{fillers - 1}")).Events);
        Assert.Single((await reopened.ReadStreamAsync("filler-0")).Events);
        AssertLiveBytesMatch(reopened);
    }

    private static void AssertLiveBytesMatch(WriteAheadLog log)
    {
        var (incremental, recomputed) = log.CheckLiveBytes();
        Assert.Equal(recomputed, incremental);
    }

    /// <summary>Writes streams idle-0 .. idle-(n-1), one event "e{i}" each, and closes the log (they open idle).</summary>
    private async Task WriteIdleStreamsAsync(int streams)
    {
        await using var log = await OpenOnFilesAsync();
        for (int i = 0; i < streams; i++)
        {
            await log.AppendAsync($"idle-{i}", 0, Events($"e{i}"));
        }
    }

    /// <summary>Each stream of <see cref="WriteIdleStreamsAsync"/> reads its own one event, at version 1.</summary>
    private static async Task AssertIdleStreamsReadAsync(WriteAheadLog log, int streams)
    {
        for (int i = 0; i < streams; i++)
        {
            var read = await log.ReadStreamAsync($"idle-{i}");
            Assert.Equal([$"e{i}"], read.Events.Select(e => Text(e.Payload)));
            Assert.Equal(1, read.Version);
        }
    }
}
