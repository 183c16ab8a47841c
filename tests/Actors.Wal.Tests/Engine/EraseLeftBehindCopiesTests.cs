using Actors.Wal.Maintenance;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// An erase also removes the copies its stream's back-pointer chain no longer reaches: originals a compaction's
/// relocation left behind in a segment it did not compact (dead bytes there, unreadable, but on disk). The erase's scan
/// of every segment finds them, so after the erase's compaction the erased bytes are in no file (scanned).
/// </summary>
public sealed class EraseLeftBehindCopiesTests : FileScanTestBase
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeleteEventsToAsync_OriginalsAnEarlierCompactionLeftBehind_AreInNoFileAfterTheErasesCompaction(bool retainHistory)
    {
        var deleted = new HashSet<int>();
        int filler;
        await using (var log = await OpenAsync(o => o.RetainCheckpointedEvents = retainHistory))
        {
            filler = await LeaveOriginalsBehindAsync(log, deleted);

            await log.WriteCheckpointAsync("pii", 4, Bytes("state-4"));
            await log.AppendAsync("pii", 4, Events("kept-5"));
            var result = await log.DeleteEventsToAsync("pii", 4);
            Assert.Equal(4, result.EventsErased);
            await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("pii", 1, 5));

            filler = await SealActiveSegmentAndCompactAsync(log, filler);
            for (int v = 1; v <= 4; v++)
            {
                AssertInNoFile($"SECRET-{v}");
            }
        }

        await using var reopened = await OpenAsync(o => o.RetainCheckpointedEvents = retainHistory);
        await AssertStateAndFillersAsync(reopened, filler, deleted);
    }

    [Fact]
    public async Task DeleteEventsToAsync_DamagedPendingScanFileAtOpen_EverySegmentIsCompactedAndTheCopiesGo()
    {
        var deleted = new HashSet<int>();
        int filler;
        var log = await OpenAsync();
        filler = await LeaveOriginalsBehindAsync(log, deleted);
        await log.WriteCheckpointAsync("pii", 4, Bytes("state-4"));
        await log.AppendAsync("pii", 4, Events("kept-5"));
        await log.DeleteEventsToAsync("pii", 4);
        await log.AbandonAsync(); // a process kill after the erase was acknowledged

        // The file of pending scans is lost to damage: the open cannot tell what was erased, so it compacts everything.
        File.WriteAllBytes(Dir.File(ErasureScansFile.FileName), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        await using (var reopened = await OpenAsync())
        {
            filler = await SealActiveSegmentAndCompactAsync(reopened, filler);
            for (int v = 1; v <= 4; v++)
            {
                AssertInNoFile($"SECRET-{v}");
            }

            await AssertStateAndFillersAsync(reopened, filler, deleted);
        }

        Assert.False(File.Exists(Dir.File(ErasureScansFile.FileName)), "the damaged file is replaced once its segments are marked");
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_OriginalAnEarlierCompactionLeftBehind_IsInNoFileAfterTheDeletionsCompaction()
    {
        int filler = 0;
        await using (var log = await OpenAsync())
        {
            // Segment A: the checkpoint at version 2 among live fillers; segment B: events 3 and 4 among fillers that are
            // then deleted, so a compaction of B copies the stream (base: that checkpoint) forward and cuts A's original
            // off the chain.
            await log.AppendAsync("cp", 0, Events("e1", "e2"));
            await log.WriteCheckpointAsync("cp", 2, Bytes("CHECKPOINT-SECRET"));
            filler = await FillAsync(log, filler, 3);
            filler = await RotateAsync(log, filler);
            int firstInB = filler;
            await log.AppendAsync("cp", 2, Events("e3", "e4"));
            filler = await RotateAsync(log, filler);
            for (int i = firstInB; i < filler; i++)
            {
                await log.DeleteStreamAsync($"f{i}", 1);
            }

            await log.WhenMaintenanceIdleAsync();
            await log.CompactAsync();
            await log.WhenMaintenanceIdleAsync();
            Assert.True(FilesWithMarker("CHECKPOINT-SECRET").Count >= 2, "precondition: the original and the compaction's copy are both on disk");

            await log.WriteCheckpointAsync("cp", 4, Bytes("state-4"));
            var result = await log.DeleteCheckpointsAsync("cp", CheckpointSelectionCriteria.UpToVersion(2));
            Assert.Equal([2L], result.DeletedVersions);

            filler = await SealActiveSegmentAndCompactAsync(log, filler);
            AssertInNoFile("CHECKPOINT-SECRET");
            var read = await log.ReadStreamAsync("cp");
            Assert.Equal(("state-4", 4L), (Text(read.Checkpoint!.State), read.Version));
        }
    }

    [Fact]
    public void ErasureScansFile_SerializeThenParse_RoundTripsEveryField()
    {
        var scans = new List<ErasureScan>
        {
            new(Bytes("pii/1").ToArray(), 7, 9, null),
            new(Bytes("cp/2").ToArray(), 0, -1, CheckpointSelectionCriteria.UpToVersion(5)),
            new(Bytes("cp/3").ToArray(), 0, -1, new CheckpointSelectionCriteria(10, DateTimeOffset.UnixEpoch.AddDays(2), 3, DateTimeOffset.UnixEpoch)),
        };

        var parsed = ErasureScansFile.TryParse(ErasureScansFile.Serialize(scans), out string? reason, out _, out _);

        Assert.Null(reason);
        Assert.Equal(
            scans.Select(s => (Text(s.Id), s.EraseToVersion, s.KeptCheckpointVersion, s.Checkpoints)),
            parsed!.Select(s => (Text(s.Id), s.EraseToVersion, s.KeptCheckpointVersion, s.Checkpoints)));
        byte[] damaged = ErasureScansFile.Serialize(scans);
        damaged[20] ^= 1;
        Assert.Null(ErasureScansFile.TryParse(damaged, out reason, out _, out _));
        Assert.Equal("checksum mismatch", reason);
    }

    /// <summary>
    /// Segment A gets pii's events 1..3 among live fillers (A stays dense); segment B gets event 4 among fillers that are
    /// then deleted, so B is sparse and a compaction copies pii (all four events) forward: the originals in A are cut off
    /// from pii's chain. Returns the next filler number; <paramref name="deleted"/> gets the deleted fillers.
    /// </summary>
    private async Task<int> LeaveOriginalsBehindAsync(WriteAheadLog log, HashSet<int> deleted)
    {
        int filler = 0;
        for (int v = 1; v <= 3; v++)
        {
            await log.AppendAsync("pii", v - 1, Events($"SECRET-{v}"));
            filler = await FillAsync(log, filler, 3);
        }

        filler = await RotateAsync(log, filler);
        int firstInB = filler;
        await log.AppendAsync("pii", 3, Events("SECRET-4"));
        filler = await RotateAsync(log, filler);
        for (int i = firstInB; i < filler; i++)
        {
            await log.DeleteStreamAsync($"f{i}", 1);
            deleted.Add(i);
        }

        await log.WhenMaintenanceIdleAsync();
        await log.CompactAsync();
        await log.WhenMaintenanceIdleAsync();
        Assert.True(log.GetStatistics().SegmentsCompacted > 0, "precondition: the sparse segment was compacted");
        Assert.True(FilesContainMarker("SECRET-1"), "precondition: the originals are still on disk, in the dense segment");
        Assert.Equal(["SECRET-1", "SECRET-2", "SECRET-3", "SECRET-4"], (await log.ReadEventsAsync("pii", 1, 4)).Select(e => Text(e.Payload)));
        return filler;
    }

    private static async Task AssertStateAndFillersAsync(IEventLog log, int filler, HashSet<int> deleted)
    {
        var read = await log.ReadStreamAsync("pii");
        Assert.Equal(("state-4", 5L), (Text(read.Checkpoint!.State), read.Version));
        Assert.Equal(["kept-5"], read.Events.Select(e => Text(e.Payload)));
        await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("pii", 1, 5));
        for (int i = 0; i < filler; i++)
        {
            if (!deleted.Contains(i))
            {
                Assert.Single((await log.ReadStreamAsync($"f{i}")).Events);
            }
        }
    }
}
