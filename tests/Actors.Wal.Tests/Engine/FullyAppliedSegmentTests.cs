using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Maintenance;
using Actors.Wal.Segments;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Space management deletes or compacts a sealed segment only once the committer published every record in it: a commit
/// makes a segment durable before it publishes the segment's records, so a segment one commit wrote from its first
/// record to its seal reads as sealed, durable and without live bytes until the publish.
/// </summary>
public sealed class FullyAppliedSegmentTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Segment _segment;

    public FullyAppliedSegmentTests()
    {
        string path = Path.Combine(_dir.Path, "segment");
        var file = PhysicalFileSystem.Instance.OpenFile(path, WalFileMode.CreateNew);
        var header = new SegmentHeader(SegmentId: 5, BaseLsn: 1, CreatedUtcTicks: 0, SegmentSizeBytes: 64 * 1024);
        _segment = new Segment(header, path, file, writtenOffset: 1000, isSealed: true);
    }

    public void Dispose()
    {
        _segment.Retire();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(4u, 9_000L, false)] // the committer is still in an older segment
    [InlineData(5u, 64L, false)] // inside the segment
    [InlineData(5u, 999L, false)] // just before its end
    [InlineData(5u, 1000L, true)] // at its end (its seal applied)
    [InlineData(6u, 64L, true)] // in a later segment
    public void IsFullyApplied_AppliedPosition_TrueOnlyAtOrPastTheSegmentsEnd(uint appliedSegment, long appliedOffset, bool expected)
    {
        Assert.Equal(expected, LogMaintenance.IsFullyApplied(_segment, LogPosition.Create(appliedSegment, appliedOffset)));
    }

    [Fact]
    public void IsFullyApplied_NothingAppliedYet_False()
    {
        Assert.False(LogMaintenance.IsFullyApplied(_segment, LogPosition.None));
    }
}
