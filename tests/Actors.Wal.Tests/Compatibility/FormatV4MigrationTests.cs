using Actors.Wal.Format;

namespace Actors.Wal.Tests.Compatibility;

/// <summary>
/// Segment format 5 lets records carry an anchor position (record flag bit 1); a log a version 4 build wrote has none. This
/// build reads it with the plain walk, writes no anchor into the version 4 segment it continues in, and anchors records in
/// every segment it creates from then on, including records whose chain runs back into the version 4 segment.
/// </summary>
/// <remarks>
/// The version 4 segment is made by this build: its records are written while no anchor is known yet (one record per
/// stream, each ending a walk), its header is then rewritten as version 4, and every record this build adds to it is
/// checked to carry no anchor flag, so the file is what a version 4 build writes (salted CRCs, no flag bit 1).
/// </remarks>
public sealed class FormatV4MigrationTests : SegmentMigrationTestBase
{
    [Fact]
    public async Task OpenAsync_Version4SegmentContinuedThenRotatedIntoVersion5_ReadsWholeAndAnchorsOnlyNewSegments()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("old", 0, Events("old-1"));
        }

        string first = Dir.File(SegmentHeader.FileName(1));
        RewriteHeaderAsVersion(first, version: 4, absentFlag: RecordHeader.AnchorFlag);

        List<string> appended;
        await using (var log = await OpenAsync())
        {
            appended = await ContinueThenRotateAsync(log, oldVersion: 1);
        }

        Assert.Equal(4, VersionOf(first));
        Assert.DoesNotContain(RecordFlags(first), flags => (flags & RecordHeader.AnchorFlag) != 0);
        string third = Dir.File(SegmentHeader.FileName(3));
        Assert.Equal(SegmentHeader.CurrentVersion, VersionOf(third));
        Assert.Contains(RecordFlags(third), flags => (flags & RecordHeader.AnchorFlag) != 0);

        await using var reopened = await OpenAsync();
        await AssertReadsWholeAsync(reopened, appended);
    }
}
