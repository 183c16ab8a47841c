using Actors.Wal.Format;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// What a cold read of one stream costs in reads through the engine's file seam (issue 65, part 4: a grain activated
/// among a million streams reads what it needs in a bounded number of I/Os): the back-pointer walk reads the stream's own
/// records from the newest back to its checkpoint, whatever the number of other streams and segments; anchor positions cut
/// the dependent (sequential) reads to about N ÷ K + 2, and each span between two anchors is read in one read (two where it
/// crosses a segment) while its records lie at most ChainWalk.SpanWindowPerRecord apart on average, so about 2N ÷ K reads in
/// all instead of N. Records further apart are read one by one (not the gaps), but all of a span's at once, from the span
/// positions its anchor carries: about N ÷ K + 2 reads in sequence instead of N ÷ K + K.
/// </summary>
public sealed class ColdReadCountTests : LogTestBase
{
    private const int EventsBeforeCheckpoint = 10;
    private const int EventsAfterCheckpoint = 60;
    private const int OtherStreams = 20_000;

    [Fact]
    public async Task ReadStreamAsync_AfterReopenAmong20000StreamsAnd20Segments_ReadsEachSpanBetweenAnchorsInOneOrTwoReads()
    {
        await using (var log = await OpenOnFilesAsync())
        {
            long version = 0;
            for (int step = 0; step < EventsBeforeCheckpoint + EventsAfterCheckpoint; step++)
            {
                version = (await log.AppendAsync("target", version, [new byte[100]])).LastVersion;
                if (version == EventsBeforeCheckpoint)
                {
                    await log.WriteCheckpointAsync("target", version, new byte[300]);
                }

                for (int near = 0; near < 10; near++)
                {
                    await log.AppendAsync($"near/{near}", step, [new byte[300]]); // ~3.5 KiB of other streams between two of its records
                }
            }

            for (int first = 0; first < OtherStreams; first += 1_000)
            {
                await Task.WhenAll(Enumerable.Range(first, 1_000).Select(i => log.AppendAsync($"other/{i}", 0, [new byte[50]]).AsTask()));
            }

            Assert.True(log.GetStatistics().SegmentCount >= 20, $"the log has {log.GetStatistics().SegmentCount} segments (expected at least 20)");
        }

        await using var reopened = await OpenOnFilesAsync();
        Assert.True(reopened.GetStatistics().StreamCount > OtherStreams, $"the reopened log indexes {reopened.GetStatistics().StreamCount} streams");
        int before = Volatile.Read(ref Files.Reads);
        long bytesBefore = Interlocked.Read(ref Files.BytesRead);
        var read = await reopened.ReadStreamAsync("target");
        int reads = Volatile.Read(ref Files.Reads) - before;
        long bytes = Interlocked.Read(ref Files.BytesRead) - bytesBefore;
        int sequential = reopened.LastWalkSequentialReads;

        Assert.Equal(EventsBeforeCheckpoint, read.Checkpoint?.Version);
        Assert.Equal(Enumerable.Range(EventsBeforeCheckpoint + 1, EventsAfterCheckpoint).Select(v => (long)v), read.Events.Select(e => e.Version));
        int walked = EventsAfterCheckpoint + 1; // the events after the checkpoint, then the checkpoint
        int anchors = (walked + RecordHeader.AnchorInterval - 1) / RecordHeader.AnchorInterval;

        // The newest record, one read per anchor, and one read per span between two anchors (two where the span crosses
        // into an earlier segment: 64 KiB segments here, the span ~36 KiB): a plain walk, or main before span reads, took
        // one read per record (61).
        int readBound = 1 + (3 * anchors);
        Assert.True(reads <= readBound, $"the cold read of a stream of {walked} records to walk (among {OtherStreams:N0} streams) took {reads} reads (expected at most 1 + 3 x {anchors} anchors = {readBound})");

        // The anchors in sequence, then each span in one read: N/K + 2, plus one where a span crosses a segment.
        int sequentialBound = anchors + 3;
        Assert.True(sequential <= sequentialBound, $"the cold read of {walked} records took {sequential} dependent reads in sequence (expected at most N/K + 3 = {sequentialBound})");

        // The spans hold other streams' records too (~3.5 KiB between two of the stream's): no more than twice what one
        // 4 KiB window per record would read.
        long byteBound = 2L * walked * 4096;
        Assert.True(bytes <= byteBound, $"the cold read of {walked} records read {bytes:N0} bytes (expected at most {byteBound:N0})");

        // The same read walking plainly (what the AppContext switch Actors.Wal.AnchoredWalks=false does for a whole log):
        // one dependent read per record, so the bounds above say something.
        reopened.AnchoredWalks = false;
        before = Volatile.Read(ref Files.Reads);
        var plain = await reopened.ReadStreamAsync("target");
        Assert.Equal(read.Events.Select(e => e.Version), plain.Events.Select(e => e.Version));
        Assert.Equal(walked, reopened.LastWalkSequentialReads);
        Assert.True(Volatile.Read(ref Files.Reads) - before >= walked - 1, "the plain walk read about once per record");
    }

    [Fact]
    public async Task ReadStreamAsync_RecordsFurtherApartThanTheSpanWindowPerRecord_ReadsRecordByRecordNotTheGapsAndEachSpanAtOnce()
    {
        const int GapBytes = 24 * 1024; // wider than ChainWalk.SpanWindowPerRecord (16 KiB): the spans are read record by record
        const int After = 30;
        Action<WriteAheadLogOptions> bigSegments = o => o.SegmentSizeBytes = 16 * 1024 * 1024;
        await using (var log = await OpenOnFilesAsync(bigSegments))
        {
            long version = (await log.AppendAsync("target", ExpectedVersion.NoStream, [new byte[100]])).LastVersion;
            await log.WriteCheckpointAsync("target", version, new byte[300]);
            for (int step = 0; step < After; step++)
            {
                for (int gap = 0; gap < GapBytes / (12 * 1024); gap++)
                {
                    await log.AppendAsync($"gap/{gap}", step, [new byte[12 * 1024]]);
                }

                version = (await log.AppendAsync("target", version, [new byte[100]])).LastVersion;
            }

            Assert.Equal(1, log.GetStatistics().SegmentCount);
        }

        await using var reopened = await OpenOnFilesAsync(bigSegments);
        int before = Volatile.Read(ref Files.Reads);
        long bytesBefore = Interlocked.Read(ref Files.BytesRead);
        var read = await reopened.ReadStreamAsync("target");
        int reads = Volatile.Read(ref Files.Reads) - before;
        long bytes = Interlocked.Read(ref Files.BytesRead) - bytesBefore;

        Assert.Equal(1, read.Checkpoint?.Version);
        Assert.Equal(Enumerable.Range(2, After).Select(v => (long)v), read.Events.Select(e => e.Version));
        int walked = After + 1;
        Assert.True(reads <= walked + 1, $"the cold read of {walked} records {GapBytes / 1024} KiB apart took {reads} reads (expected about one per record)");
        long byteBound = (walked + 1) * 8L * 1024;
        Assert.True(bytes <= byteBound, $"the cold read of {walked} records {GapBytes / 1024} KiB apart read {bytes:N0} bytes (expected at most {byteBound:N0}: not the gaps)");

        // Each anchor carries its span's positions, so the records of a span are read at once, not one after another: the
        // newest record (here an anchor itself), then one anchor after another with its span beside it. Walking each span
        // record by record (before span positions) took the anchors plus the K - 1 records of the last span in sequence.
        int anchors = (walked + RecordHeader.AnchorInterval - 1) / RecordHeader.AnchorInterval;
        int sequential = reopened.LastWalkSequentialReads;
        int sequentialBound = anchors + 2;
        Assert.True(sequential <= sequentialBound, $"the cold read of {walked} records {GapBytes / 1024} KiB apart took {sequential} dependent reads in sequence (expected at most N/K + 2 = {sequentialBound})");
        reopened.SpanPositionReads = false;
        var walkedBySpan = await reopened.ReadStreamAsync("target");
        Assert.Equal(read.Events.Select(e => e.Version), walkedBySpan.Events.Select(e => e.Version));
        Assert.True(reopened.LastWalkSequentialReads > sequentialBound, $"walking each span record by record took {reopened.LastWalkSequentialReads} dependent reads (about N/K + K expected), so the bound above says something");
    }
}
