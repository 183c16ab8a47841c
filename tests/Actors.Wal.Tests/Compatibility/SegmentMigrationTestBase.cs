using Actors.Wal.Format;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Compatibility;

/// <summary>
/// What the tests of a segment written by an older build share: a segment's header rewritten as that build wrote it, the
/// header version and record flags read back from a file, and the workload that continues the older segment and rotates
/// into segments of the current version ("old" up to version 40, then "new" and "old" in turn until the log has three
/// segments).
/// </summary>
public abstract class SegmentMigrationTestBase : LogTestBase
{
    /// <summary>The version the workload brings "old" to before it writes "new".</summary>
    protected const int OldVersionBeforeRotation = 40;

    /// <summary>
    /// What a build of format <paramref name="version"/> wrote: the header's version fields of <paramref name="path"/>,
    /// once every record there is checked to carry no <paramref name="absentFlag"/> (a flag that build did not know).
    /// </summary>
    protected static void RewriteHeaderAsVersion(string path, ushort version, byte absentFlag)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(bytes, out var header, out _, out _));
        Assert.DoesNotContain(RecordFlags(path), flags => (flags & absentFlag) != 0);
        header.Write(bytes, version, minCompatibleVersion: version);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The format version in the header of the segment at <paramref name="path"/>.</summary>
    protected static int VersionOf(string path)
    {
        Assert.Equal(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(File.ReadAllBytes(path).AsSpan(0, SegmentHeader.Size), out _, out ushort version, out _));
        return version;
    }

    /// <summary>The flags of every record of the segment at <paramref name="path"/>, in file order (at least one).</summary>
    protected static List<byte> RecordFlags(string path)
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

    /// <summary>
    /// Appends "old-(v + 1)" to "old" at each version v from <paramref name="oldVersion"/> to
    /// <see cref="OldVersionBeforeRotation"/>, then a 500-byte "new" event and an "old" event in turn until the log has three
    /// segments. Returns the "new" payloads in order.
    /// </summary>
    internal async Task<List<string>> ContinueThenRotateAsync(WriteAheadLog log, int oldVersion)
    {
        for (int v = oldVersion; v < OldVersionBeforeRotation; v++)
        {
            await log.AppendAsync("old", v, Events($"old-{v + 1}"));
        }

        var appended = new List<string>();
        while (Dir.Segments().Length < 3)
        {
            string payload = $"new-{appended.Count}-" + new string('n', 500);
            await log.AppendAsync("new", appended.Count, Events(payload));
            await log.AppendAsync("old", ExpectedVersion.Any, Events($"old-{OldVersionBeforeRotation + 1 + appended.Count}"));
            appended.Add(payload);
        }

        return appended;
    }

    /// <summary>The events "old" holds after <see cref="ContinueThenRotateAsync"/> appended <paramref name="appended"/> to "new".</summary>
    protected static List<string> OldEvents(IReadOnlyCollection<string> appended)
        => Enumerable.Range(1, OldVersionBeforeRotation + appended.Count).Select(v => $"old-{v}").ToList();

    /// <summary>Reads both streams of the workload back from <paramref name="log"/> and checks every event, and that recovery found nothing corrupt.</summary>
    internal static async Task AssertReadsWholeAsync(WriteAheadLog log, List<string> appended)
    {
        Assert.Equal(OldEvents(appended), await OldStreamAsync(log));
        Assert.Equal(appended, (await log.ReadStreamAsync("new")).Events.Select(e => Text(e.Payload)).ToList());
        Assert.Equal(0, log.GetStatistics().Recovery.CorruptedRecords);
    }

    /// <summary>The events of "old" as <paramref name="log"/> reads them.</summary>
    internal static async Task<List<string>> OldStreamAsync(WriteAheadLog log)
        => (await log.ReadStreamAsync("old")).Events.Select(e => Text(e.Payload)).ToList();
}
