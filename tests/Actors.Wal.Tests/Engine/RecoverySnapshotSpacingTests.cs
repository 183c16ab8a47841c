using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// <see cref="WriteAheadLogOptions.RecoverySnapshotSpacing"/>: the recovery snapshot holds the whole index, so the passes
/// after rotations write a new one only once the log appended that many times its size since the last one; dead segments
/// wait for it, and a crash in between recovers by replaying more of the log.
/// </summary>
public sealed class RecoverySnapshotSpacingTests : LogTestBase
{
    private const string SnapshotRename = "rename index.snapshot.tmp index.snapshot";

    [Fact]
    public async Task RotationPasses_IndexLargerThanASegment_WriteASnapshotOnlyAfterSpacingTimesItsSize()
    {
        var (snapshots, stats) = await RotateBesideIdleStreamsAsync(spacing: WriteAheadLogOptions.DefaultRecoverySnapshotSpacing);

        // 3,000 streams make a snapshot of about 117 KB; 20 rotations append about 1.3 MB, about 2.7 times 4 x 117 KB.
        Assert.InRange(snapshots, 1, 4);
        Assert.True(stats.SegmentsDeleted >= 10, $"the busy stream's dead segments were not deleted: {stats.SegmentsDeleted}");
    }

    [Fact]
    public async Task RotationPasses_SpacingZero_WriteASnapshotAfterEveryRotation()
    {
        var (snapshots, stats) = await RotateBesideIdleStreamsAsync(spacing: 0);

        Assert.True(snapshots >= 20, $"{snapshots} snapshots over 20 rotations");
        Assert.True(stats.SegmentsDeleted >= 10, $"the busy stream's dead segments were not deleted: {stats.SegmentsDeleted}");
    }

    [Fact]
    public async Task Abandon_SnapshotsSpacedOverManyRotations_RecoversEveryStream()
    {
        long busy;
        await using (var log = await OpenAsync(o => o.CompactionLiveRatio = 0))
        {
            await AppendIdleStreamsAsync(log);
            busy = await RotateAsync(log, 0, rotations: 20);
            await log.AppendAsync("late", 0, Events("l1"));
            await log.AbandonAsync();
        }

        await using var reopened = await OpenAsync();
        for (int i = 0; i < IdleStreams; i += 97)
        {
            Assert.Equal([$"e{i}"], (await reopened.ReadStreamAsync($"idle-{i}")).Events.Select(e => Text(e.Payload)));
        }

        Assert.Equal(busy, reopened.GetStreamInfo("busy").Version);
        Assert.Equal(["l1"], (await reopened.ReadStreamAsync("late")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task CompactAsync_DeadSegmentsWaitingForASnapshot_WritesOneAndDeletesThem()
    {
        var fs = new FaultInjectingFileSystem();
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0, fs);
        await AppendIdleStreamsAsync(log);
        await RotateAsync(log, 0, rotations: 6);
        int waiting = log.GetSegmentSpace().Count(s => s.IsSealed && s.LiveBytes == 0);
        Assert.True(waiting >= 1, "no dead segment waits for a snapshot: the passes wrote one at every rotation");
        int mark = Mark(fs);

        var result = await log.CompactAsync();

        Assert.Contains(SnapshotRename, Since(fs, mark));
        Assert.True(result.SegmentsDeleted >= waiting, $"{result.SegmentsDeleted} deleted, {waiting} were waiting");
        Assert.DoesNotContain(log.GetSegmentSpace(), s => s.IsSealed && s.LiveBytes == 0);
    }

    private const int IdleStreams = 3000;

    private async Task<(int Snapshots, LogStatistics Stats)> RotateBesideIdleStreamsAsync(double spacing)
    {
        var fs = new FaultInjectingFileSystem();
        await using var log = await OpenAsync(o => { o.CompactionLiveRatio = 0; o.RecoverySnapshotSpacing = spacing; }, fs);
        await AppendIdleStreamsAsync(log);
        await RotateAsync(log, 0, rotations: 1);
        int mark = Mark(fs);

        await RotateAsync(log, 0, rotations: 20);

        return (Since(fs, mark).Count(op => op == SnapshotRename), log.GetStatistics());
    }

    private static async Task AppendIdleStreamsAsync(WriteAheadLog log)
    {
        for (int i = 0; i < IdleStreams; i++)
        {
            await log.AppendAsync($"idle-{i}", 0, Events($"e{i}"));
        }
    }

    /// <summary>
    /// Appends "busy" events of 3,000 B (a checkpoint every 5, so its segments die) until the log rotated
    /// <paramref name="rotations"/> more times, letting each rotation's pass finish. Returns busy's version.
    /// </summary>
    private static async Task<long> RotateAsync(WriteAheadLog log, long busy, int rotations)
    {
        busy = Math.Max(busy, log.GetStreamInfo("busy").Version);
        uint current = log.GetSegmentSpace().Max(s => s.SegmentId);
        uint target = current + (uint)rotations;
        while (current < target)
        {
            await log.AppendAsync("busy", busy, [new byte[3000]]);
            busy++;
            if (busy % 5 == 0)
            {
                await log.WriteCheckpointAsync("busy", busy, Bytes("busy-cp"));
            }

            uint now = log.GetSegmentSpace().Max(s => s.SegmentId);
            if (now != current)
            {
                await log.WhenMaintenanceIdleAsync();
                current = now;
            }
        }

        return busy;
    }

    private static int Mark(FaultInjectingFileSystem fs)
    {
        lock (fs.Operations)
        {
            return fs.Operations.Count;
        }
    }

    private static string[] Since(FaultInjectingFileSystem fs, int mark)
    {
        lock (fs.Operations)
        {
            return [.. fs.Operations.Skip(mark)];
        }
    }
}
