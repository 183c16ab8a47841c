using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The space pass after a rotation leaves the segment sealed last alone for its live ratio: its streams are the active
/// ones, and those that checkpoint make it dead soon after (deleted without a copy). Copying them at once read every
/// active stream's scattered records and wrote copies that the next checkpoint superseded, beside the appends.
/// </summary>
public sealed class SettlingSegmentTests : LogTestBase
{
    [Fact]
    public async Task RotationPass_NewestSealedSegmentSparse_IsNotCopiedAndIsDeletedOnceItsStreamsCheckpoint()
    {
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5);
        long busy = await FillSegmentOneAsync(log);
        string firstSegment = Dir.Segments()[0];

        busy = await AppendUntilSegmentCountAsync(log, busy, segments: 2);
        await log.WhenMaintenanceIdleAsync();

        Assert.Equal(0, log.GetStatistics().SegmentsCompacted);
        Assert.True(File.Exists(firstSegment), "the pass after the rotation already removed the settling segment");

        // The idle stream checkpoints too: nothing in the first segment is needed any more.
        await log.WriteCheckpointAsync("idle", 1, Bytes("idle-cp"));
        await AppendUntilSegmentCountAsync(log, busy, segments: 3);
        await log.WhenMaintenanceIdleAsync();

        var stats = log.GetStatistics();
        Assert.Equal(0, stats.SegmentsCompacted);
        Assert.True(stats.SegmentsDeleted >= 1, "the dead first segment was not deleted");
        Assert.False(File.Exists(firstSegment), "the dead first segment is still there");
        Assert.Equal("idle-cp", Text((await log.ReadStreamAsync("idle")).Checkpoint!.State));
    }

    [Fact]
    public async Task RotationPass_SparseSegmentStillPinnedAfterTheNextRotation_IsCopiedForward()
    {
        await using (var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5))
        {
            long busy = await FillSegmentOneAsync(log);
            string firstSegment = Dir.Segments()[0];
            busy = await AppendUntilSegmentCountAsync(log, busy, segments: 2);
            await log.WhenMaintenanceIdleAsync();
            Assert.True(File.Exists(firstSegment));

            // The idle stream never checkpoints: one rotation later its segment is no longer the newest sealed one and
            // the pass copies it forward.
            await AppendUntilSegmentCountAsync(log, busy, segments: 3);
            await log.WhenMaintenanceIdleAsync();

            Assert.True(log.GetStatistics().SegmentsCompacted >= 1, "the pinned sparse segment was not compacted");
            Assert.False(File.Exists(firstSegment), "the idle stream still pins the first segment");
            Assert.Equal(["i1"], (await log.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(["i1"], (await reopened.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task CompactAsync_NewestSealedSegmentSparse_IsCopiedAtOnce()
    {
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5);
        long busy = await FillSegmentOneAsync(log);
        string firstSegment = Dir.Segments()[0];
        await AppendUntilSegmentCountAsync(log, busy, segments: 2);
        await log.WhenMaintenanceIdleAsync();

        var result = await log.CompactAsync();

        Assert.True(result.StreamsRelocated >= 1, "an explicit compaction left the settling segment alone");
        Assert.False(File.Exists(firstSegment));
    }

    /// <summary>
    /// Segment 1: one small event of "idle", then "busy" events of 3,000 B and a checkpoint covering them, so the
    /// segment's live bytes are idle's event and busy's checkpoint (far below half). Returns busy's version.
    /// </summary>
    private static async Task<long> FillSegmentOneAsync(WriteAheadLog log)
    {
        await log.AppendAsync("idle", 0, Events("i1"));
        long busy = 0;
        for (; busy < 15; busy++)
        {
            await log.AppendAsync("busy", busy, [new byte[3000]]);
        }

        await log.WriteCheckpointAsync("busy", busy, Bytes("busy-cp"));
        Assert.Equal(1, log.GetStatistics().SegmentCount);
        return busy;
    }

    /// <summary>
    /// Appends busy events (checkpointing busy every 5) until the log writes into segment <paramref name="segments"/>:
    /// by id, not by count (a pass deleting the first segment meanwhile would make a count overshoot by a rotation).
    /// </summary>
    private static async Task<long> AppendUntilSegmentCountAsync(WriteAheadLog log, long busy, int segments)
    {
        while (log.GetSegmentSpace().Max(s => s.SegmentId) < segments)
        {
            Assert.True(busy < 10_000, "the log did not rotate");
            await log.AppendAsync("busy", busy, [new byte[3000]]);
            busy++;
            if (busy % 5 == 0)
            {
                await log.WriteCheckpointAsync("busy", busy, Bytes("busy-cp"));
            }
        }

        return busy;
    }
}
