using Actors.Wal.Format;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary><see cref="WriteAheadLog.GetSegmentSpace"/>: the per-file view an operator sees on the dashboard.</summary>
public sealed class SegmentSpaceTests : LogTestBase
{
    [Fact]
    public async Task GetSegmentSpace_AfterRotationsAndCheckpoints_OneRowPerFileSummingToTheStatistics()
    {
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0);
        for (int i = 0; i < 200; i++)
        {
            string stream = $"s{i % 4}";
            await log.AppendAsync(stream, log.GetStreamInfo(stream).Version, [new byte[900]]);
        }

        await log.WriteCheckpointAsync("s0", log.GetStreamInfo("s0").Version, new byte[50]);

        IReadOnlyList<SegmentSpace> segments = log.GetSegmentSpace();
        LogStatistics statistics = log.GetStatistics();
        Assert.True(segments.Count > 1, $"200 events of 900 B in 64 KiB segments should have rotated; {segments.Count} segment(s)");
        Assert.Equal(statistics.SegmentCount, segments.Count);
        Assert.Equal(statistics.TotalBytes, segments.Sum(s => s.RecordBytes));
        Assert.Equal(statistics.LiveBytes, segments.Sum(s => s.LiveBytes));
        Assert.Equal(statistics.ReclaimableBytes, segments.Sum(s => s.ReclaimableBytes));
        Assert.True(segments.Sum(s => s.ReclaimableBytes) > 0, "s0's events before its checkpoint are reclaimable");
        Assert.Single(segments, s => !s.IsSealed);
        Assert.False(segments[^1].IsSealed, "the newest segment is the active one");
        Assert.Equal(segments.OrderBy(s => s.SegmentId).Select(s => s.SegmentId), segments.Select(s => s.SegmentId));
        foreach (SegmentSpace segment in segments)
        {
            string file = Path.Combine(Dir.Path, SegmentHeader.FileName(segment.SegmentId));
            Assert.Equal(new FileInfo(file).Length, segment.FileBytes);
            Assert.InRange(segment.LiveBytes, 0, segment.RecordBytes);
            Assert.InRange(segment.LiveRatio, 0, 1);
        }
    }
}
