using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Segments;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Damage below a position the log recorded as durable (the clean-shutdown snapshot, a snapshot's recovery point,
/// the manifest's sealed lengths) is corruption of acknowledged data: refused with the segment and offset in the
/// default mode, reported as lost in Salvage, never cut as a torn tail.
/// </summary>
public sealed class DurableClaimTests : LogTestBase
{
    /// <summary>
    /// Issue 14's case: a cleanly closed log whose tail is a 32 KB checkpoint copied forward by compaction, with 166
    /// bytes cut off its last segment. The old engine distrusted the snapshot, scanned, cut 32 KB as a torn tail and
    /// brought the grain back empty with two log warnings.
    /// </summary>
    [Fact]
    public async Task OpenAsync_CleanLogWithCopiedForwardCheckpointCutShort_RefusesNamingSegmentAndOffset()
    {
        string last = await WriteCleanLogEndingWithRelocatedCheckpointAsync();
        long length = RecordsEnd(last);
        using (var file = new FileStream(last, FileMode.Open))
        {
            file.SetLength(length - 166);
        }

        var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync(Configure));

        Assert.Equal(last, error.FilePath);
        Assert.Equal(length - 166, error.Offset);
        Assert.Contains("clean shutdown", error.Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync(o =>
        {
            Configure(o);
            o.ReadOnly = true;
        }));
    }

    [Fact]
    public async Task OpenAsync_CleanLogWithCopiedForwardCheckpointCutShort_SalvageReportsTheLossAndReopensCleanly()
    {
        string last = await WriteCleanLogEndingWithRelocatedCheckpointAsync();
        long length = RecordsEnd(last);
        using (var file = new FileStream(last, FileMode.Open))
        {
            file.SetLength(length - 166);
        }

        await using (var salvaged = await OpenAsync(o =>
        {
            Configure(o);
            o.RecoveryMode = RecoveryMode.Salvage;
        }))
        {
            var notes = salvaged.GetStatistics().Recovery.Notes;
            Assert.Contains(notes, n => n.Contains("acknowledged", StringComparison.Ordinal) && n.Contains(Path.GetFileName(last), StringComparison.Ordinal));
            Assert.Contains(notes, n => n.Contains("'grain'", StringComparison.Ordinal) && n.Contains("lost", StringComparison.Ordinal));
        }

        // Salvage replaced the claims it could not honour: the default mode opens the repaired log.
        await using var reopened = await OpenAsync(Configure);
        Assert.Equal(0, (await reopened.ReadStreamAsync("grain")).Version);
    }

    [Fact]
    public async Task OpenAsync_CleanLogWithDamagedLastRecord_OpensWithoutCuttingAndTheReadReportsTheDamage()
    {
        var log = await OpenAsync();
        await log.AppendAsync("a", ExpectedVersion.NoStream, Events("a1", "a2"));
        await log.AppendAsync("b", ExpectedVersion.NoStream, Events("b1"));
        await log.DisposeAsync();
        string segment = Dir.Segments().Single();
        long end = new FileInfo(segment).Length;
        FaultInjectingFileSystem.FlipBit(segment, end - 2);

        await using var reopened = await OpenAsync();

        Assert.Equal(0, reopened.GetStatistics().Recovery.TruncatedBytes);
        Assert.Equal(end, new FileInfo(segment).Length);
        var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await reopened.ReadStreamAsync("b"));
        Assert.Equal(segment, error.FilePath);
        Assert.Equal(2, (await reopened.ReadStreamAsync("a")).Version);
    }

    [Fact]
    public async Task OpenAsync_CrashedLogWithTornTailAfterTheRecoveryPoint_StillCutsIt()
    {
        var log = await OpenAsync();
        long x = 0;
        while (Dir.Segments().Length < 2)
        {
            await log.AppendAsync("x", x++, [new byte[1000]]); // rotation writes a snapshot whose recovery point is in segment 2
        }

        // The rotation's snapshot runs in the background: written after y, it would claim y durable and the torn y would
        // be refused as damage (CI saw it under load). Wait for it, so y lies after the recovery point as intended.
        await log.WhenMaintenanceIdleAsync();
        await log.AppendAsync("y", ExpectedVersion.NoStream, Events("y1"));
        await log.AbandonAsync();
        string second = Dir.Segments()[1];
        using (var file = new FileStream(second, FileMode.Open))
        {
            file.SetLength(file.Length - 3); // the last append, after the recovery point, was torn
        }

        await using var reopened = await OpenAsync();

        Assert.True(reopened.GetStatistics().Recovery.TruncatedBytes > 0);
        Assert.Equal(x, (await reopened.ReadStreamAsync("x")).Version);
        Assert.Equal(0, (await reopened.ReadStreamAsync("y")).Version);
    }

    [Fact]
    public async Task OpenAsync_SnapshotRecoveryPointSegmentMissing_Refuses()
    {
        var log = await OpenAsync();
        long x = 0;
        while (Dir.Segments().Length < 2)
        {
            await log.AppendAsync("x", x++, [new byte[1000]]);
        }

        await log.DisposeAsync();
        File.Delete(Dir.Segments()[1]);
        File.Delete(Dir.File("segments.manifest")); // without the manifest, only the snapshot knows the segment existed

        var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync());
        Assert.Contains("missing", error.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// Where the records of a segment file end. The file can be longer: the active segment may be a recycled file (its
    /// older bytes, or zeros, follow the records), so cutting "the end of the file" can miss the records entirely.
    /// </summary>
    private static long RecordsEnd(string path)
    {
        using var file = PhysicalFileSystem.Instance.OpenFile(path, WalFileMode.OpenReadOnly);
        var reader = new SegmentReader(file, file.Length);
        return reader.ReadAll().Where(r => r.Damage is null).Select(r => r.Offset + r.Header.Length).DefaultIfEmpty(SegmentHeader.Size).Max();
    }

    private static void Configure(WriteAheadLogOptions o)
    {
        o.MaxRecordSizeBytes = 32 * 1024;
        o.CompactionLiveRatio = 0.9;
    }

    /// <summary>
    /// Writes stream "grain" (events and a 32 KB checkpoint) into the first segment, fills later segments with a
    /// stream that checkpoints after every event (so only its newest records stay live and the first segment is sparse), compacts (the grain's checkpoint is
    /// copied forward as the last record) and closes cleanly. Returns the last segment's path.
    /// </summary>
    private async Task<string> WriteCleanLogEndingWithRelocatedCheckpointAsync()
    {
        var log = await OpenAsync(o =>
        {
            Configure(o);
            o.CompactionLiveRatio = 0; // no background compaction while filling: the copy must be the last record
        });
        await log.AppendAsync("grain", ExpectedVersion.NoStream, Events("e1", "e2", "e3"));
        await log.WriteCheckpointAsync("grain", 3, new byte[32 * 1024]);
        for (int i = 0; Dir.Segments().Length < 3; i++)
        {
            string id = "filler";
            long version = log.GetStreamInfo(id).Version;
            await log.AppendAsync(id, version, [new byte[3000]]);
            await log.WriteCheckpointAsync(id, version + 1, new byte[10]);
        }

        await log.DisposeAsync();
        log = await OpenAsync(Configure);
        var compacted = await log.CompactAsync();
        Assert.True(compacted.StreamsRelocated > 0, "the grain's checkpoint was not copied forward");
        await log.DisposeAsync();
        return Dir.Segments()[^1];
    }
}
