using Actors.Wal.Format;

namespace Actors.Wal.Tests.Compatibility;

/// <summary>
/// Segment format 6 lets an anchor carry its span's positions (record flag bit 2); a log a version 5 build wrote has
/// anchors without them. This build reads it (walking those spans record by record), writes no span positions into the
/// version 5 segment it continues in, and writes them into every segment it creates from then on, including anchors whose
/// spans run back into the version 5 segment.
/// </summary>
/// <remarks>
/// The version 5 segment is made by this build: its stream's first ten records are written (chain indexes 1 to 10: the
/// first anchor to carry span positions would be the eleventh), its header is then rewritten as version 5, and every
/// record this build adds to it is checked to carry no span flag, so the file is what a version 5 build writes.
/// </remarks>
public sealed class FormatV5MigrationTests : SegmentMigrationTestBase
{
    [Fact]
    public async Task OpenAsync_Version5SegmentContinuedThenRotatedIntoVersion6_ReadsWholeAndCarriesSpansOnlyInNewSegments()
    {
        await using (var log = await OpenAsync())
        {
            for (int v = 0; v < RecordHeader.AnchorInterval; v++)
            {
                await log.AppendAsync("old", v, Events($"old-{v + 1}"));
            }
        }

        string first = Dir.File(SegmentHeader.FileName(1));
        RewriteHeaderAsVersion(first, version: 5, absentFlag: RecordHeader.SpanFlag);

        List<string> appended;
        await using (var log = await OpenAsync())
        {
            appended = await ContinueThenRotateAsync(log, oldVersion: RecordHeader.AnchorInterval);
        }

        Assert.Equal(5, VersionOf(first));
        Assert.Contains(RecordFlags(first), flags => (flags & RecordHeader.AnchorFlag) != 0);
        Assert.DoesNotContain(RecordFlags(first), flags => (flags & RecordHeader.SpanFlag) != 0);
        string second = Dir.File(SegmentHeader.FileName(2));
        Assert.Equal(SegmentHeader.CurrentVersion, VersionOf(second));
        Assert.Contains(RecordFlags(second), flags => (flags & RecordHeader.SpanFlag) != 0);

        await using var reopened = await OpenAsync();
        await AssertReadsWholeAsync(reopened, appended);
        reopened.SpanPositionReads = false;
        Assert.Equal(OldEvents(appended), await OldStreamAsync(reopened));
        reopened.AnchoredWalks = false;
        Assert.Equal(OldEvents(appended), await OldStreamAsync(reopened));
    }
}
