using System.Text;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Recovery;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>Incremental recovery snapshots (<c>index.delta</c>, <see cref="WriteAheadLogOptions.SnapshotDeltaMinStreams"/>).</summary>
public sealed class SnapshotDeltaTests : LogTestBase
{
    private const int IdleStreams = 400;

    [Fact]
    public async Task RotationPass_FewStreamsChanged_WritesADeltaThatRecoveryNeeds()
    {
        long x;
        await using (var log = await OpenAsync(DeltaOptions))
        {
            x = await WriteIdleStreamsThenCheckpointingStreamAsync(log, until: () => File.Exists(Dir.File(RecoverySnapshotDelta.FileName)) && log.GetStatistics().SegmentsDeleted >= 3);
            await log.AbandonAsync();
        }

        // The delta holds a handful of streams; the full snapshot alone points x into a segment deleted since.
        var delta = RecoverySnapshotDelta.TryParse(File.ReadAllBytes(Dir.File(RecoverySnapshotDelta.FileName)), out _, out string? reason);
        Assert.True(delta is not null, reason);
        Assert.InRange(delta.Streams.Count, 1, IdleStreams / 4);
        var full = RecoverySnapshot.TryParse(File.ReadAllBytes(Dir.File(RecoverySnapshot.FileName)), out reason);
        Assert.True(full is not null, reason);
        ulong hashOfX = StreamHash.Compute(Encoding.UTF8.GetBytes("x"));
        var staleX = Assert.Single(full.Streams, e => e.Hash == hashOfX);
        Assert.False(File.Exists(Dir.File(SegmentHeader.FileName(staleX.LatestSegment))), "the full snapshot's entry of x should name a deleted segment");

        await using (var reopened = await OpenAsync(DeltaOptions))
        {
            var recovery = reopened.GetStatistics().Recovery;
            Assert.True(recovery.SegmentsScanned < recovery.Segments, $"scanned {recovery.SegmentsScanned} of {recovery.Segments} segments: the snapshot did not serve");
            Assert.DoesNotContain(recovery.Notes, n => n.Contains(RecoverySnapshotDelta.FileName, StringComparison.Ordinal));
            await AssertContentAsync(reopened, x);
        }

        // The same state as a full scan finds (the close above wrote a full snapshot and deleted the delta).
        Assert.False(File.Exists(Dir.File(RecoverySnapshotDelta.FileName)), "the close should delete the delta");
        File.Delete(Dir.File(RecoverySnapshot.FileName));
        await using var scanned = await OpenAsync(DeltaOptions);
        Assert.Equal(scanned.GetStatistics().Recovery.Segments, scanned.GetStatistics().Recovery.SegmentsScanned);
        await AssertContentAsync(scanned, x);
    }

    /// <summary>
    /// A damaged delta (the full snapshot alone would point into deleted segments), or a damaged full snapshot beside an
    /// intact delta: open ignores both and scans every segment. The log ran until the full snapshot's recovery point lay
    /// in a segment deleted since, so its claim must not refuse the open either.
    /// </summary>
    [Theory]
    [InlineData(RecoverySnapshotDelta.FileName, 70)]
    [InlineData(RecoverySnapshot.FileName, 60)]
    public async Task Open_SnapshotFileDamaged_IgnoresBothFilesAndScansEverySegment(string damagedFile, int damagedByte)
    {
        long x;
        await using (var log = await OpenAsync(DeltaOptions))
        {
            x = await WriteIdleStreamsThenCheckpointingStreamAsync(log, until: () => File.Exists(Dir.File(RecoverySnapshotDelta.FileName)) && FullSnapshotRecoveryPointIsGone());
            await log.AbandonAsync();
        }

        string path = Dir.File(damagedFile);
        byte[] data = File.ReadAllBytes(path);
        data[damagedByte] ^= 0x40;
        File.WriteAllBytes(path, data);

        await using var reopened = await OpenAsync(DeltaOptions);
        var recovery = reopened.GetStatistics().Recovery;
        Assert.Equal(recovery.Segments, recovery.SegmentsScanned);
        Assert.Contains(recovery.Notes, n => n.Contains(damagedFile, StringComparison.Ordinal) && n.Contains("checksum", StringComparison.Ordinal));
        await AssertContentAsync(reopened, x);
    }

    [Fact]
    public async Task Open_DeltaOfAReplacedFullSnapshot_IgnoresTheDelta()
    {
        long x;
        await using (var log = await OpenAsync(DeltaOptions))
        {
            x = await WriteIdleStreamsThenCheckpointingStreamAsync(log, until: () => File.Exists(Dir.File(RecoverySnapshotDelta.FileName)));
            await log.WhenMaintenanceIdleAsync();
            File.Copy(Dir.File(RecoverySnapshotDelta.FileName), Dir.File("delta.aside"));
        }

        // The close wrote a full snapshot and deleted the delta; a crash between the two would leave the old delta.
        Assert.False(File.Exists(Dir.File(RecoverySnapshotDelta.FileName)), "the close should delete the delta");
        File.Move(Dir.File("delta.aside"), Dir.File(RecoverySnapshotDelta.FileName));

        await using var reopened = await OpenAsync(DeltaOptions);
        var recovery = reopened.GetStatistics().Recovery;
        Assert.True(recovery.CleanShutdown);
        Assert.Contains(recovery.Notes, n => n.Contains(RecoverySnapshotDelta.FileName, StringComparison.Ordinal) && n.Contains("extends an earlier", StringComparison.Ordinal));
        await AssertContentAsync(reopened, x);
    }

    [Fact]
    public async Task RotationPass_DeltaMinStreamsZero_WritesOnlyFullSnapshots()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(o => { DeltaOptions(o); o.SnapshotDeltaMinStreams = 0; }, fs);
        await WriteIdleStreamsThenCheckpointingStreamAsync(log, until: () => log.GetStatistics().SegmentsDeleted >= 3);

        lock (fs.Operations)
        {
            Assert.Contains(fs.Operations, op => op == "rename index.snapshot.tmp index.snapshot");
            Assert.DoesNotContain(fs.Operations, op => op.StartsWith("rename", StringComparison.Ordinal) && op.Contains(RecoverySnapshotDelta.FileName, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RotationPass_MoreThanAQuarterOfTheStreamsChanged_WritesTheWholeIndexAgain()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(DeltaOptions, fs);
        await WriteIdleStreamsThenCheckpointingStreamAsync(log, until: () => File.Exists(Dir.File(RecoverySnapshotDelta.FileName)));
        int mark;
        lock (fs.Operations)
        {
            mark = fs.Operations.Count;
        }

        // A third of the idle streams written once more: past a quarter of the full snapshot's entries, while the deltas
        // (of a handful of streams each, and then of these) stay far below its size. The next snapshot is whole.
        for (int i = 0; i < IdleStreams / 3; i++)
        {
            await log.AppendAsync($"idle-{i}", 1, [new byte[100]]);
        }

        await AppendUntilSegmentsAsync(log, "y", 0, log.GetStatistics().SegmentCount + 1, 1000);
        await log.WhenMaintenanceIdleAsync();

        string[] ops;
        lock (fs.Operations)
        {
            ops = [.. fs.Operations.Skip(mark)];
        }

        int full = Array.IndexOf(ops, $"rename {RecoverySnapshot.FileName}.tmp {RecoverySnapshot.FileName}");
        Assert.True(full >= 0, "no full snapshot after most streams changed");
        Assert.Contains($"delete {RecoverySnapshotDelta.FileName}", ops.Skip(full));
    }

    [Fact]
    public async Task RotationPass_DeltasAddUpToTheFullSnapshot_WritesTheWholeIndexAgain()
    {
        // 40 idle streams: a full snapshot of about 2 KB, deltas of one or two streams of a few hundred bytes each.
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(DeltaOptions, fs);
        for (int i = 0; i < 40; i++)
        {
            await log.AppendAsync($"idle-{i}", 0, [new byte[10]]);
        }

        string fullRename = $"rename {RecoverySnapshot.FileName}.tmp {RecoverySnapshot.FileName}";
        string deltaRename = $"rename {RecoverySnapshotDelta.FileName}.tmp {RecoverySnapshotDelta.FileName}";
        long x = 0;
        while (true)
        {
            x = await AppendUntilSegmentsAsync(log, "x", x, log.GetStatistics().SegmentCount + 1, 1000);
            await log.WriteCheckpointAsync("x", x, Encoding.UTF8.GetBytes($"x@{x}"));
            await log.WhenMaintenanceIdleAsync();
            string[] ops;
            lock (fs.Operations)
            {
                ops = [.. fs.Operations.Where(op => op == fullRename || op == deltaRename)];
            }

            int first = Array.IndexOf(ops, fullRename);
            int delta = first < 0 ? -1 : Array.IndexOf(ops, deltaRename, first);
            if (delta >= 0 && Array.IndexOf(ops, fullRename, delta) > delta)
            {
                Assert.True(log.GetStatistics().SnapshotDeltasWritten >= 2, $"{log.GetStatistics().SnapshotDeltasWritten} deltas");
                return;
            }

            Assert.True(log.GetStatistics().SnapshotDeltasWritten < 1_000, "the deltas never added up to a full snapshot");
        }
    }

    [Fact]
    public void Merge_DeltaHoldsAHash_ReplacesEveryEntryWithThatHash()
    {
        var full = new RecoverySnapshot
        {
            RecoveryPointSegment = 1,
            RecoveryPointOffset = 64,
            Streams =
            [
                StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(1, 64), Version = 1 },
                StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(1, 128), Version = 2 },
                StreamEntry.CreateNew(9) with { LatestPosition = LogPosition.Create(1, 192), Version = 3 },
            ],
            Segments = [(1, false, 256)],
        };
        byte[] deltaFile = RecoverySnapshotDelta.Serialize(
            (123, 456), clean: false, rpSegment: 2, rpOffset: 64, nextLsn: 10, lastTimestamp: 5,
            [StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(2, 64), Version = 4 }],
            [(1, true, 300), (2, false, 64)]);
        var delta = RecoverySnapshotDelta.TryParse(deltaFile, out var extends, out string? reason);
        Assert.True(delta is not null, reason);
        Assert.Equal((123u, 456L), extends);

        var merged = RecoverySnapshotDelta.Merge(full, delta);

        Assert.Equal([3L, 4L], merged.Streams.Select(e => e.Version).Order());
        Assert.Equal((2u, 64L, 10L, 5L), (merged.RecoveryPointSegment, merged.RecoveryPointOffset, merged.NextLsn, merged.LastTimestamp));
        Assert.Equal([(1u, true, 300L), (2u, false, 64L)], merged.Segments);
    }

    [Fact]
    public void CaptureChanged_GroupMemberPromotedAfterTheHotTierWasCopied_TakesItsIdleState()
    {
        // Streams a and b share hash 7; a changed. b's promotion is simulated as the capture can meet it: its idle slot
        // marked moved, its hot entry not (yet) in the hot tier the capture copied.
        var index = new StreamIndex();
        index.LoadIdle(
        [
            StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(3, 64), Version = 1 },
            StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(1, 64), Version = 2 },
        ]);
        Assert.True(index.TryFind("b", 7, (position, _) => position == LogPosition.Create(1, 64), out var idle, out _, out int slot));
        index.AddHot(new HotStream("b", idle, slot));
        Assert.True(index.Current.Hot.TryRemove("b", out _));

        var captured = StreamIndex.CaptureChanged(index.Current, LogPosition.Create(2, 64));

        Assert.Equal([1L, 2L], captured.Select(e => e.Version).Order());
    }

    [Fact]
    public void CaptureChanged_CollisionAndPromotion_CapturesChangedStreamsWithTheirWholeHashGroupOnce()
    {
        var index = new StreamIndex();
        index.LoadIdle(
        [
            StreamEntry.CreateNew(5) with { LatestPosition = LogPosition.Create(1, 64), Version = 1 },   // unchanged
            StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(1, 128), Version = 2 },  // unchanged, shares 7
            StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(3, 64), Version = 3 },   // changed
            StreamEntry.CreateNew(9) with { LatestPosition = LogPosition.Create(1, 192), Version = 4 },  // promoted below
        ]);
        Assert.True(index.TryFind("p", 9, (_, id) => id == "p", out var idle, out _, out int slot));
        var promoted = new HotStream("p", idle, slot);
        index.AddHot(promoted);
        promoted.Publish(idle with { LatestPosition = LogPosition.Create(3, 128), Version = 5 });
        index.AddHot(new HotStream("n", StreamEntry.CreateNew(11) with { LatestPosition = LogPosition.Create(3, 192), Version = 6 }, -1));

        var captured = StreamIndex.CaptureChanged(index.Current, LogPosition.Create(2, 64));

        Assert.Equal([2L, 3L, 5L, 6L], captured.Select(e => e.Version).Order());
    }

    private bool FullSnapshotRecoveryPointIsGone()
    {
        var full = RecoverySnapshot.TryParse(File.ReadAllBytes(Dir.File(RecoverySnapshot.FileName)), out _);
        return full is not null && !File.Exists(Dir.File(SegmentHeader.FileName(full.RecoveryPointSegment)));
    }

    private static void DeltaOptions(WriteAheadLogOptions options)
    {
        options.SnapshotDeltaMinStreams = 1;
        options.CompactionLiveRatio = 0; // only dead segments go: the idle streams stay where they are
    }

    /// <summary>
    /// Writes <see cref="IdleStreams"/> streams of one event each, then appends to stream x (checkpointing it every 8
    /// events, so its older segments die) until <paramref name="until"/> holds once maintenance is idle. Returns x's version.
    /// </summary>
    private static async Task<long> WriteIdleStreamsThenCheckpointingStreamAsync(WriteAheadLog log, Func<bool> until)
    {
        for (int i = 0; i < IdleStreams; i++)
        {
            await log.AppendAsync($"idle-{i}", 0, [Encoding.UTF8.GetBytes($"idle {i}")]);
        }

        long x = 0;
        while (true)
        {
            for (int i = 0; i < 16; i++)
            {
                x = (await log.AppendAsync("x", x, [new byte[1000]])).LastVersion;
                if (x % 8 == 0)
                {
                    await log.WriteCheckpointAsync("x", x, Encoding.UTF8.GetBytes($"x@{x}"));
                }
            }

            await log.WhenMaintenanceIdleAsync();
            if (until())
            {
                return x;
            }

            Assert.True(x < 20_000, "the log never reached the state the test needs");
        }
    }

    private static async Task AssertContentAsync(WriteAheadLog log, long x)
    {
        for (int i = 0; i < IdleStreams; i++)
        {
            var read = await log.ReadStreamAsync($"idle-{i}");
            Assert.Equal($"idle {i}", Encoding.UTF8.GetString(Assert.Single(read.Events).Payload.Span));
        }

        var stream = await log.ReadStreamAsync("x");
        Assert.Equal(x, stream.Version);
        Assert.Equal($"x@{x / 8 * 8}", Encoding.UTF8.GetString(stream.Checkpoint!.State.Span));
    }
}
