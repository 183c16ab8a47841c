using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>Regression tests for recovery bugs found by the crash and damage suites (issue #2 follow-up).</summary>
public sealed class RecoveryRegressionTests : LogTestBase
{
    [Fact]
    public async Task OpenAsync_TornHeaderOfPreallocatedLastSegment_RemovesSegmentAndReports()
    {
        long x = await FillTwoSegmentsAndAbandonAsync(preallocate: true);
        string second = Dir.Segments()[1];
        byte[] bytes = File.ReadAllBytes(second);
        Array.Clear(bytes, 20, bytes.Length - 20); // only the first 20 header bytes reached the disk
        File.WriteAllBytes(second, bytes);
        File.Delete(Dir.File("index.snapshot"));

        await using var reopened = await OpenAsync(o => o.PreallocateSegments = true);

        Assert.Equal(x - 1, (await reopened.ReadStreamAsync("x")).Version);
        Assert.Contains(reopened.GetStatistics().Recovery.Notes, n => n.Contains("creating this segment", StringComparison.Ordinal));
        var next = await reopened.AppendAsync("x", x - 1, Events("after"));
        Assert.Equal(x, next.LastVersion);
    }

    [Fact]
    public async Task OpenAsync_TornHeaderOfLastSegmentUnderAbsoluteConsistency_Refuses()
    {
        await FillTwoSegmentsAndAbandonAsync(preallocate: true);
        string second = Dir.Segments()[1];
        byte[] bytes = File.ReadAllBytes(second);
        Array.Clear(bytes, 20, bytes.Length - 20);
        File.WriteAllBytes(second, bytes);
        File.Delete(Dir.File("index.snapshot"));

        await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync(o =>
        {
            o.PreallocateSegments = true;
            o.RecoveryMode = RecoveryMode.AbsoluteConsistency;
        }));
    }

    [Fact]
    public async Task OpenAsync_DamagedHeaderOfLastSegmentFollowedByValidRecords_IsCorruption()
    {
        await FillTwoSegmentsAndAbandonAsync(preallocate: false);
        string second = Dir.Segments()[1];
        FaultInjectingFileSystem.FlipBit(second, 30); // header CRC mismatch, records after it intact
        File.Delete(Dir.File("index.snapshot"));

        var error = await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync());
        Assert.Contains(Path.GetFileName(second), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_DamagedHeaderOfEarlierSegment_IsCorruptionEvenWithoutRecords()
    {
        await FillTwoSegmentsAndAbandonAsync(preallocate: true);
        string first = Dir.Segments()[0];
        FaultInjectingFileSystem.ZeroRange(first, 20, 44);
        File.Delete(Dir.File("index.snapshot"));

        await Assert.ThrowsAsync<LogCorruptedException>(async () => await OpenAsync(o => o.PreallocateSegments = true));
    }

    [Fact]
    public async Task OpenAsync_CrashAfterSpacePassDeletedASegment_RecoversEveryStream()
    {
        var log = await OpenAsync();
        await log.AppendAsync("y", 0, [new byte[100]]);
        long x = 0;
        while (log.GetStatistics().SegmentCount < 2)
        {
            await log.AppendAsync("x", x, [new byte[1000]]);
            x++;
        }

        await log.WriteCheckpointAsync("x", x, new byte[10]);
        await log.WriteCheckpointAsync("y", 1, new byte[10]);
        await log.CompactAsync();
        Assert.Equal(1, log.GetStatistics().SegmentsDeleted);
        await log.AbandonAsync();

        await using var reopened = await OpenAsync();
        Assert.Equal(1, (await reopened.ReadStreamAsync("y")).Checkpoint!.Version);
        Assert.Equal(x, (await reopened.ReadStreamAsync("x")).Version);
    }

    private async Task<long> FillTwoSegmentsAndAbandonAsync(bool preallocate)
    {
        long x = 0;
        var log = await OpenAsync(o => o.PreallocateSegments = preallocate);
        while (log.GetStatistics().SegmentCount < 2)
        {
            await log.AppendAsync("x", x, [new byte[1000]]);
            x++;
        }

        await log.AbandonAsync();
        return x;
    }
}
