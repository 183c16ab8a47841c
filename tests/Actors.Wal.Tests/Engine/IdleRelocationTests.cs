using Actors.Wal.Format;
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

            long busy = await RotateUntilSegmentAsync(log, 0, segment: 4);

            var stats = log.GetStatistics();
            Assert.True(stats.StreamsRelocated >= 1, "the idle stream was not copied");
            Assert.Equal(1, stats.HotStreamCount); // "busy" alone: the copy left "idle" idle
            Assert.Equal(["i1", "i2"], (await log.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));

            // The idle entry now names the copy: a later append chains onto it.
            Assert.Equal(3, (await log.AppendAsync("idle", 2, Events("i3"))).LastVersion);
            await RotateUntilSegmentAsync(log, busy, segment: 8);
            Assert.Equal(["i1", "i2", "i3"], (await log.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));
        }

        await using var reopened = await OpenAsync();
        var read = await reopened.ReadStreamAsync("idle");
        Assert.Equal(["i1", "i2", "i3"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal(3, read.Version);
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
        }

        await using var reopened = await OpenAsync();
        var read = await reopened.ReadStreamAsync("idle");
        Assert.Equal(["i2", "i3", "i4"], read.Events.Select(e => Text(e.Payload)));
        Assert.Equal([2L, 3L, 4L], read.Events.Select(e => e.Version));
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await reopened.ReadEventsAsync("idle", 1, 1));
    }
}
