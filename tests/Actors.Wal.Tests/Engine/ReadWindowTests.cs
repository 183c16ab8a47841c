using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// How much a back-pointer walk reads (Reading/RecordCursor): windows grow only while they serve several records of the
/// walk, so a stream scattered among other streams' records costs a small window per record, not 64 KiB.
/// </summary>
public sealed class ReadWindowTests : LogTestBase
{
    private const int Records = 30;

    [Fact]
    public async Task ReadEventsAsync_StreamScatteredAmongOthers_ReadsASmallWindowPerRecord()
    {
        await using var log = await OpenOnFilesAsync(o => o.SegmentSizeBytes = 8 << 20);
        for (int v = 0; v < Records; v++)
        {
            await log.AppendAsync("scattered", v, [new byte[100]]);
            for (int other = 0; other < 20; other++)
            {
                await log.AppendAsync($"other/{other}", v, [new byte[1000]]); // about 20 KiB of other streams between two of its records
            }
        }

        long before = Interlocked.Read(ref Files.BytesRead);
        var events = await log.ReadEventsAsync("scattered", 1, Records);
        long read = Interlocked.Read(ref Files.BytesRead) - before;

        Assert.Equal(Enumerable.Range(1, Records).Select(v => (long)v), events.Select(e => e.Version));
        // About 4.5 KiB per record (a 4 KiB window plus the record's lookahead); windows grown to 64 KiB read ~1.8 MB.
        Assert.True(read <= Records * 8 * 1024, $"the walk of {Records} scattered records read {read:N0} bytes");
    }

    [Fact]
    public async Task ReadEventsAsync_StreamWrittenTogether_ReadsInFewGrowingWindows()
    {
        await using var log = await OpenOnFilesAsync(o => o.SegmentSizeBytes = 8 << 20);
        for (int v = 0; v < 300; v++)
        {
            await log.AppendAsync("dense", v, [new byte[100]]);
        }

        int before = Volatile.Read(ref Files.Reads);
        var events = await log.ReadEventsAsync("dense", 1, 300);
        int reads = Volatile.Read(ref Files.Reads) - before;

        Assert.Equal(300, events.Count);
        // 300 records of ~150 bytes (~45 KiB): windows of 4, 16 and 64 KiB cover them in three reads.
        Assert.True(reads <= 4, $"the walk of 300 adjacent records took {reads} reads");
    }
}
