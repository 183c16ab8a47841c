using System.Buffers.Binary;
using Actors.Wal.ChangeFeed;
using Actors.Wal.Format;
using Actors.Wal.Tests.ChangeFeed;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Compatibility;

/// <summary>
/// Segment format 4 salts every record CRC with the segment's id; a log a version 3 build wrote has unsalted CRCs. This
/// build reads it, keeps writing unsalted records into the version 3 segment it continues in, and salts every segment it
/// creates from then on.
/// </summary>
public sealed class FormatV3MigrationTests : LogTestBase
{
    [Fact]
    public async Task OpenAsync_Version3SegmentContinuedThenRotatedIntoVersion4_EveryRecordReadsAfterReopen()
    {
        await using (var log = await OpenAsync())
        {
            for (int v = 0; v < 5; v++)
            {
                await log.AppendAsync("old", v, Events($"old-{v}"));
            }
        }

        string first = Dir.File(SegmentHeader.FileName(1));
        RewriteAsVersion3(first);

        var appended = new List<string>();
        await using (var log = await OpenAsync())
        {
            while (Dir.Segments().Length < 3)
            {
                string payload = $"new-{appended.Count}-" + new string('n', 500);
                await log.AppendAsync("new", appended.Count, Events(payload));
                appended.Add(payload);
            }
        }

        Assert.Equal((3, 0u), HeaderOf(first));
        Assert.Equal((SegmentHeader.CurrentVersion, 2u), HeaderOf(Dir.File(SegmentHeader.FileName(2))));

        await using var reopened = await OpenAsync();
        Assert.Equal(Enumerable.Range(0, 5).Select(v => $"old-{v}"), (await reopened.ReadStreamAsync("old")).Events.Select(e => Text(e.Payload)));
        Assert.Equal(appended, (await reopened.ReadStreamAsync("new")).Events.Select(e => Text(e.Payload)).ToList());
        var changes = await ChangeFeedTests.ReadAllAsync(reopened, ChangeFeedPosition.Beginning);
        Assert.Equal(Enumerable.Range(1, 5 + appended.Count).Select(i => (long)i), changes.Select(c => c.Lsn));
        Assert.Equal(0, reopened.GetStatistics().Recovery.CorruptedRecords);
    }

    /// <summary>What a version 3 build wrote: the header's version fields and no salt, every record CRC unsalted.</summary>
    private static void RewriteAsVersion3(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(bytes, out var header, out _, out _));
        (header with { RecordSalt = 0, IsRecycledFile = false }).Write(bytes, version: 3, minCompatibleVersion: 2);
        int offset = SegmentHeader.Size;
        while (offset + RecordHeader.Size <= bytes.Length && BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset)) is > 0 and var length)
        {
            RecordCodec.SealCrc(bytes.AsSpan(offset, length), salt: 0);
            offset += length;
        }

        Assert.True(offset > SegmentHeader.Size, "the segment held no records to rewrite");
        File.WriteAllBytes(path, bytes);
    }

    private static (ushort Version, uint Salt) HeaderOf(string path)
    {
        Assert.Equal(SegmentHeaderStatus.Ok, SegmentHeader.TryRead(File.ReadAllBytes(path).AsSpan(0, SegmentHeader.Size), out var header, out ushort version, out _));
        return (version, header.RecordSalt);
    }
}
