using Actors.Wal.Format;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// What a cold read of one stream costs in reads through the engine's file seam (issue 65, part 4: a grain activated
/// among a million streams reads what it needs in a bounded number of I/Os): the back-pointer walk reads the stream's own
/// records from the newest back to its checkpoint, a small window each, whatever the number of other streams and segments;
/// anchor positions cut the dependent (sequential) reads among them to about N ÷ K + K.
/// </summary>
public sealed class ColdReadCountTests : LogTestBase
{
    private const int EventsBeforeCheckpoint = 10;
    private const int EventsAfterCheckpoint = 60;
    private const int OtherStreams = 20_000;

    [Fact]
    public async Task ReadStreamAsync_AfterReopenAmong20000StreamsAnd20Segments_ReadsAtMostOncePerRecordAndAboutNOverKPlusKInSequence()
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
        var read = await reopened.ReadStreamAsync("target");
        int reads = Volatile.Read(ref Files.Reads) - before;
        int sequential = reopened.LastWalkSequentialReads;

        Assert.Equal(EventsBeforeCheckpoint, read.Checkpoint?.Version);
        Assert.Equal(Enumerable.Range(EventsBeforeCheckpoint + 1, EventsAfterCheckpoint).Select(v => (long)v), read.Events.Select(e => e.Version));
        int walked = EventsAfterCheckpoint + 1; // the events after the checkpoint, then the checkpoint
        Assert.True(reads <= walked, $"the cold read of a stream of {walked} records to walk (among {OtherStreams:N0} streams) took {reads} reads");
        int bound = (walked / RecordHeader.AnchorInterval) + RecordHeader.AnchorInterval + 1;
        Assert.True(sequential <= bound, $"the cold read of {walked} records took {sequential} dependent reads in sequence (expected at most N/K + K + 1 = {bound})");

        // The same read walking plainly (what the AppContext switch Actors.Wal.AnchoredWalks=false does for a whole log):
        // one dependent read per record, so the bound above says something.
        reopened.AnchoredWalks = false;
        var plain = await reopened.ReadStreamAsync("target");
        Assert.Equal(read.Events.Select(e => e.Version), plain.Events.Select(e => e.Version));
        Assert.Equal(walked, reopened.LastWalkSequentialReads);
    }
}
