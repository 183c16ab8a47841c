using Actors.Wal.Format;
using Actors.Wal.Tests.Support;

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
public sealed class FormatV4MigrationTests : LogTestBase
{
    [Fact]
    public async Task OpenAsync_Version4SegmentContinuedThenRotatedIntoVersion5_ReadsWholeAndAnchorsOnlyNewSegments()
    {
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("old", 0, Events("old-1"));
        }

        string first = Dir.File(SegmentHeader.FileName(1));
        RewriteAsVersion4(first);

        var appended = new List<string>();
        await using (var log = await OpenAsync())
        {
            for (int v = 1; v < 40; v++)
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

        Assert.Equal(4, VersionOf(first));
        Assert.DoesNotContain(RecordFlags(first), flags => (flags & RecordHeader.AnchorFlag) != 0);
        string third = Dir.File(SegmentHeader.FileName(3));
        Assert.Equal(SegmentHeader.CurrentVersion, VersionOf(third));
        Assert.Contains(RecordFlags(third), flags => (flags & RecordHeader.AnchorFlag) != 0);

        await using var reopened = await OpenAsync();
        int oldEvents = 40 + appended.Count;
        Assert.Equal(Enumerable.Range(1, oldEvents).Select(v => $"old-{v}"), (await reopened.ReadStreamAsync("old")).Events.Select(e => Text(e.Payload)));
        Assert.Equal(appended, (await reopened.ReadStreamAsync("new")).Events.Select(e => Text(e.Payload)).ToList());
        Assert.Equal(0, reopened.GetStatistics().Recovery.CorruptedRecords);
    }

    /// <summary>What a version 4 build wrote: the header's version fields (records already carry no anchor).</summary>
    private static void RewriteAsVersion4(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(bytes, out var header, out _, out _));
        Assert.DoesNotContain(RecordFlags(path), flags => (flags & RecordHeader.AnchorFlag) != 0);
        header.Write(bytes, version: 4, minCompatibleVersion: 4);
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
