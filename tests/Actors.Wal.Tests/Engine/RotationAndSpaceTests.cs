using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

public sealed class RotationAndSpaceTests : LogTestBase
{
    [Fact]
    public async Task AppendAsync_PastSegmentSize_RotatesAndEverythingStaysReadable()
    {
        await using (var log = await OpenAsync())
        {
            for (int i = 0; i < 100; i++)
            {
                await log.AppendAsync("big", i, [new byte[3000]]);
            }

            Assert.True(log.GetStatistics().SegmentCount >= 4, $"expected at least 4 segments, saw {log.GetStatistics().SegmentCount}");
            Assert.All(Dir.Segments(), s => Assert.True(new FileInfo(s).Length <= 64 * 1024, $"{s} exceeds the segment size"));
            var read = await log.ReadStreamAsync("big");
            Assert.Equal(Enumerable.Range(1, 100).Select(v => (long)v), read.Events.Select(e => e.Version));
        }

        await using var reopened = await OpenAsync(o => o.CompactionLiveRatio = 0);
        Assert.Equal(100, (await reopened.ReadStreamAsync("big")).Events.Count);
    }

    [Fact]
    public async Task AppendAsync_SegmentOlderThanMaxAge_Rotates()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var log = await OpenAsync(o => o.SegmentMaxAge = TimeSpan.FromMinutes(5), time: time);
        await log.AppendAsync("s", 0, Events("1"));
        time.Advance(TimeSpan.FromMinutes(4));
        await log.AppendAsync("s", 1, Events("2"));
        Assert.Single(Dir.Segments());

        time.Advance(TimeSpan.FromMinutes(2));
        await log.AppendAsync("s", 2, Events("3"));

        Assert.Equal(2, Dir.Segments().Length);
        Assert.Equal(3, (await log.ReadStreamAsync("s")).Events.Count);
    }

    [Fact]
    public async Task CompactAsync_CheckpointCoversOldSegments_DeletesThemAndDataStaysReadable()
    {
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0);
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("s", i, [new byte[3000]]);
        }

        int segmentsBefore = Dir.Segments().Length;
        await log.WriteCheckpointAsync("s", 60, Bytes("state@60"));
        await log.AppendAsync("s", 60, Events("61"));

        var result = await log.CompactAsync();

        Assert.True(result.SegmentsDeleted >= segmentsBefore - 1, $"deleted {result.SegmentsDeleted} of {segmentsBefore}");
        Assert.True(result.BytesFreed > 0);
        Assert.Equal(segmentsBefore - result.SegmentsDeleted, Dir.Segments().Length);
        var read = await log.ReadStreamAsync("s");
        Assert.Equal("state@60", Text(read.Checkpoint!.State));
        Assert.Equal([61L], read.Events.Select(e => e.Version));
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("s", 1, 10));
    }

    [Fact]
    public async Task CompactAsync_StreamWithoutCheckpoint_PinsItsSegments()
    {
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0);
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("s", i, [new byte[3000]]);
        }

        int segments = Dir.Segments().Length;
        var result = await log.CompactAsync();

        Assert.Equal(0, result.SegmentsDeleted);
        Assert.Equal(segments, Dir.Segments().Length);
        Assert.Equal(60, (await log.ReadEventsAsync("s", 1, 60)).Count);
    }

    [Fact]
    public async Task CompactAsync_IdleStreamInMostlyDeadSegment_IsCopiedForwardAndSegmentDeleted()
    {
        await using (var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5))
        {
            await CompactIdleStreamOutOfFirstSegmentAsync(log);
            var next = await log.AppendAsync("idle", 2, Events("i3"));
            Assert.Equal(3, next.FirstVersion);
        }

        await using var reopened = await OpenAsync();
        var afterReopen = await reopened.ReadStreamAsync("idle");
        Assert.Equal("idle-cp1", Text(afterReopen.Checkpoint!.State));
        Assert.Equal(["i2", "i3"], afterReopen.Events.Select(e => Text(e.Payload)));
        Assert.Equal("busy-cp", Text((await reopened.ReadStreamAsync("busy")).Checkpoint!.State));
    }

    [Fact]
    public async Task CompactAsync_DeletedStream_TombstoneSurvivesAndVersionIsKept()
    {
        await using (var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5))
        {
            await log.AppendAsync("gone", 0, Events("1", "2", "3"));
            await log.DeleteStreamAsync("gone", 3);
            for (int i = 0; i < 60; i++)
            {
                await log.AppendAsync("busy", i, [new byte[3000]]);
            }

            await log.WriteCheckpointAsync("busy", 60, Bytes("busy-cp"));
            await log.CompactAsync();
        }

        File.Delete(Dir.File(Recovery.RecoverySnapshot.FileName));
        await using var reopened = await OpenAsync();
        Assert.Equal(new StreamInfo(3, 0, true), reopened.GetStreamInfo("gone"));
        await Assert.ThrowsAsync<StreamVersionConflictException>(async () => await reopened.AppendAsync("gone", 0, Events("x")));
    }

    [Fact]
    public async Task CompactAsync_RetainSegmentCount_KeepsDeadSegments()
    {
        await using var log = await OpenAsync(o => { o.CompactionLiveRatio = 0; o.RetainSegmentCount = 100; });
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("s", i, [new byte[3000]]);
        }

        await log.WriteCheckpointAsync("s", 60, Bytes("cp"));
        var result = await log.CompactAsync();

        Assert.Equal(0, result.SegmentsDeleted);
        Assert.Equal(60, (await log.ReadEventsAsync("s", 1, 60)).Count);
    }

    [Fact]
    public async Task GetStatistics_AfterCheckpoint_LiveBytesDrop()
    {
        await using var log = await OpenAsync(o => { o.CompactionLiveRatio = 0; o.RetainSegmentCount = 100; });
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("s", i, [new byte[3000]]);
        }

        await log.CompactAsync();
        var before = log.GetStatistics();
        await log.WriteCheckpointAsync("s", 60, Bytes("cp"));
        await log.CompactAsync();
        var after = log.GetStatistics();

        Assert.Equal(before.TotalBytes, before.LiveBytes);
        // Accounting is per (segment, stream): the sealed segments are dead, the segment holding the checkpoint stays live.
        Assert.True(after.LiveBytes < after.TotalBytes / 2, $"live {after.LiveBytes} of {after.TotalBytes}");
    }

    [Fact]
    public async Task CompactAsync_RetainMaxAge_KeepsYoungDeadSegmentsUntilTheyAge()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var log = await OpenAsync(o => { o.CompactionLiveRatio = 0; o.RetainMaxAge = TimeSpan.FromHours(1); }, time: time);
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("s", i, [new byte[3000]]);
        }

        await log.WriteCheckpointAsync("s", 60, Bytes("cp"));
        var young = await log.CompactAsync();
        time.Advance(TimeSpan.FromHours(2));
        var old = await log.CompactAsync();

        Assert.Equal(0, young.SegmentsDeleted);
        Assert.True(old.SegmentsDeleted > 0, "dead segments older than RetainMaxAge were not deleted");
        Assert.Equal("cp", Text((await log.ReadStreamAsync("s")).Checkpoint!.State));
    }

    [Fact]
    public async Task RotationPass_SegmentDeadBeforeThePassesSnapshot_WritesOneSnapshotThenManifestThenDeletes()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(fileSystem: fs);
        long x = 0;
        while (log.GetStatistics().SegmentCount < 2)
        {
            await log.AppendAsync("x", x, [new byte[1000]]);
            x++;
        }

        await log.WhenMaintenanceIdleAsync(); // the first rotation's pass: segment 1 still holds x's events
        await log.WriteCheckpointAsync("x", x, Bytes("cp")); // now segment 1 holds nothing live; no pass runs for it yet
        int mark;
        lock (fs.Operations)
        {
            mark = fs.Operations.Count;
        }

        while (log.GetStatistics() is { SegmentCount: < 3, SegmentsDeleted: 0 })
        {
            await log.AppendAsync("x", x, [new byte[1000]]); // until the second rotation, whose pass deletes segment 1
            x++;
        }

        await log.WhenMaintenanceIdleAsync();
        string[] ops;
        lock (fs.Operations)
        {
            ops = [.. fs.Operations.Skip(mark)];
        }

        int delete = Array.IndexOf(ops, "delete 0000000001.wal");
        delete = delete >= 0 ? delete : Array.IndexOf(ops, "rename 0000000001.wal 0000000001.wal.recycle"); // kept for reuse
        Assert.True(delete >= 0, $"segment 1 was not deleted: {string.Join(" | ", ops)}");
        string[] snapshots = [.. ops.Take(delete).Where(op => op == "rename index.snapshot.tmp index.snapshot")];
        Assert.Single(snapshots); // the pass's own: its entries were copied after segment 1 died, so it points into none of them
        int snapshot = Array.IndexOf(ops, "rename index.snapshot.tmp index.snapshot");
        int manifest = Array.LastIndexOf(ops, "rename segments.manifest.tmp segments.manifest", delete);
        Assert.True(manifest > snapshot, $"expected snapshot, then manifest, then delete: {string.Join(" | ", ops)}");
        Assert.Equal("cp", Text((await log.ReadStreamAsync("x")).Checkpoint!.State));
    }

    [Fact]
    public async Task RotationPass_SegmentDiesWhileThePassesSnapshotIsWritten_WaitsForTheNextRotationsSnapshot()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using (var log = await OpenAsync(fileSystem: fs))
        {
            long x = 0;
            while (log.GetStatistics().SegmentCount < 2)
            {
                await log.AppendAsync("x", x, [new byte[1000]]);
                x++;
            }

            await log.WhenMaintenanceIdleAsync(); // the first rotation's pass: segment 1 holds x's events

            // The second rotation's pass copies the index for its snapshot; the snapshot's fsync is held while x
            // checkpoints, so segments 1 and 2 die after the copy: that snapshot still points into them.
            using var gate = new ManualResetEventSlim(false);
            fs.GatedFilePrefix = "index.snapshot";
            fs.FileGate = gate;
            while (log.GetSegmentSpace().Max(s => s.SegmentId) < 3)
            {
                await log.AppendAsync("x", x, [new byte[1000]]);
                x++;
            }

            Assert.True(await fs.FileGateEntered.WaitAsync(TimeSpan.FromMinutes(2)), "the rotation's pass wrote no snapshot");
            fs.FileGate = null;
            await log.WriteCheckpointAsync("x", x, Bytes("cp"));
            int mark;
            lock (fs.Operations)
            {
                mark = fs.Operations.Count;
            }

            gate.Set();
            await log.WhenMaintenanceIdleAsync();

            string[] ops;
            lock (fs.Operations)
            {
                ops = [.. fs.Operations.Skip(mark)];
            }

            Assert.Single(ops, op => op == "rename index.snapshot.tmp index.snapshot"); // the held one, no second
            Assert.DoesNotContain(ops, op => op.Contains("0000000001.wal", StringComparison.Ordinal) && !op.StartsWith("open", StringComparison.Ordinal));
            Assert.Equal(0, log.GetStatistics().SegmentsDeleted);

            // The next rotation's snapshot is copied after they died: its pass deletes them without another.
            while (log.GetSegmentSpace().Max(s => s.SegmentId) < 4)
            {
                await log.AppendAsync("x", x, [new byte[1000]]);
                x++;
            }

            await log.WhenMaintenanceIdleAsync();
            Assert.True(log.GetStatistics().SegmentsDeleted >= 2, $"deleted {log.GetStatistics().SegmentsDeleted}");
            Assert.Equal("cp", Text((await log.ReadStreamAsync("x")).Checkpoint!.State));
        }

        await using var reopened = await OpenAsync();
        Assert.Equal("cp", Text((await reopened.ReadStreamAsync("x")).Checkpoint!.State));
    }
}
