using Actors.Wal.Format;
using Actors.Wal.Tests.Support;

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
public sealed class FormatV5MigrationTests : LogTestBase
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
        RewriteAsVersion5(first);

        var appended = new List<string>();
        await using (var log = await OpenAsync())
        {
            for (int v = RecordHeader.AnchorInterval; v < 40; v++)
            {
                await log.AppendAsync("old", v, Events($"old-{v + 1}"));
            }

            while (Dir.Segments().Length < 3)
            {
                string payload = $"new-{appended.Count}-" + new string('n', 500);
                await log.AppendAsync("new", appended.Count, Events(payload));
                await log.AppendAsync("old", ExpectedVersion.Any, Events($"old-{41 + appended.Count}"));
                appended.Add(payload);
            }
        }

        Assert.Equal(5, VersionOf(first));
        Assert.Contains(RecordFlags(first), flags => (flags & RecordHeader.AnchorFlag) != 0);
        Assert.DoesNotContain(RecordFlags(first), flags => (flags & RecordHeader.SpanFlag) != 0);
        string second = Dir.File(SegmentHeader.FileName(2));
        Assert.Equal(SegmentHeader.CurrentVersion, VersionOf(second));
        Assert.Contains(RecordFlags(second), flags => (flags & RecordHeader.SpanFlag) != 0);

        await using var reopened = await OpenAsync();
        int oldEvents = 40 + appended.Count;
        var expectedOld = Enumerable.Range(1, oldEvents).Select(v => $"old-{v}").ToList();
        Assert.Equal(expectedOld, (await reopened.ReadStreamAsync("old")).Events.Select(e => Text(e.Payload)));
        Assert.Equal(appended, (await reopened.ReadStreamAsync("new")).Events.Select(e => Text(e.Payload)).ToList());
        reopened.SpanPositionReads = false;
        Assert.Equal(expectedOld, (await reopened.ReadStreamAsync("old")).Events.Select(e => Text(e.Payload)));
        reopened.AnchoredWalks = false;
        Assert.Equal(expectedOld, (await reopened.ReadStreamAsync("old")).Events.Select(e => Text(e.Payload)));
        Assert.Equal(0, reopened.GetStatistics().Recovery.CorruptedRecords);
    }

    /// <summary>What a version 5 build wrote: the header's version fields (records already carry no span positions).</summary>
    private static void RewriteAsVersion5(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(bytes, out var header, out _, out _));
        Assert.DoesNotContain(RecordFlags(path), flags => (flags & RecordHeader.SpanFlag) != 0);
        header.Write(bytes, version: 5, minCompatibleVersion: 5);
        File.WriteAllBytes(path, bytes);
    }

    private static int VersionOf(string path)
    {
        Assert.Equal(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(File.ReadAllBytes(path).AsSpan(0, SegmentHeader.Size), out _, out ushort version, out _));
        return version;
    }

    private static List<byte> RecordFlags(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        uint salt = SegmentHeader.ReadRecordSalt(bytes);
        var flags = new List<byte>();
        int offset = SegmentHeader.Size;
        while (offset + RecordHeader.Size <= bytes.Length && RecordHeader.TryRead(bytes.AsSpan(offset), bytes.Length - offset, out var header, out _)
            && RecordCodec.CrcMatches(bytes.AsSpan(offset, header.Length), salt))
        {
            flags.Add(header.Flags);
            offset += header.Length;
        }

        Assert.True(flags.Count > 0, $"no records in {path}");
        return flags;
    }
}
