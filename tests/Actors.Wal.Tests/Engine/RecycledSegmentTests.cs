using Actors.Wal.ChangeFeed;
using Actors.Wal.Format;
using Actors.Wal.Segments;
using Actors.Wal.Tests.ChangeFeed;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// A recycled segment file is reused without zeroing: behind the new header it still holds an earlier incarnation's
/// records, complete and with valid CRCs under that incarnation's salt. Recovery, readers and the change feed must see
/// exactly the records acknowledged in the new incarnation, whether the log closed cleanly, crashed, or tore a write
/// over an old record.
/// </summary>
public sealed class RecycledSegmentTests : LogTestBase
{
    private const string OldPrefix = "old-";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAsync_RecycledSegmentFullOfOlderValidRecords_RecoversExactlyTheAcknowledgedRecords(bool cleanClose)
    {
        await PlantRecycledFileAsync();
        var log = await OpenAsync();
        var acked = await AppendIntoRecycledSegmentAsync(log);
        AssertStaleRecordsFollow(acked.Count);

        if (cleanClose)
        {
            await log.DisposeAsync();
        }
        else
        {
            await log.AbandonAsync();
        }

        await using var reopened = await OpenAsync();
        await AssertHoldsExactlyAsync(reopened, acked);
        var recovery = reopened.GetStatistics().Recovery;
        Assert.Equal(0, recovery.CorruptedRecords);
        if (cleanClose)
        {
            Assert.True(recovery.CleanShutdown, "a clean close of a log whose active segment is a recycled file must reopen as clean: " + string.Join(" | ", recovery.Notes));
            Assert.Equal(0, recovery.TruncatedBytes);
        }

        // Appends after the reopen continue in the same file and survive another reopen.
        await reopened.AppendAsync("new", acked.Count, Events("after-reopen"));
        acked.Add("after-reopen");
        await reopened.DisposeAsync();
        await using var again = await OpenAsync();
        await AssertHoldsExactlyAsync(again, acked);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(100)]
    public async Task OpenAsync_TornWriteOverAnOlderRecordOfARecycledSegment_RecoversExactlyTheAcknowledgedRecords(int keptBytes)
    {
        await PlantRecycledFileAsync();
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        var log = await OpenAsync(fileSystem: fs);
        var acked = await AppendIntoRecycledSegmentAsync(log);
        AssertStaleRecordsFollow(acked.Count);

        // The next record is cut after keptBytes: the rest of the old record it overwrites stays behind it.
        fs.TearNextWriteAfter = keptBytes;
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("new", acked.Count, Events("torn-" + new string('t', 300))));
        await log.DisposeAsync();

        await using var reopened = await OpenAsync();
        await AssertHoldsExactlyAsync(reopened, acked);
        Assert.Equal(0, reopened.GetStatistics().Recovery.CorruptedRecords);
    }

    /// <summary>
    /// Writes a full segment of another log (records of stream "old", valid CRCs under its segment 1's salt) into the test
    /// directory as a file kept for reuse: the next spare is made from it.
    /// </summary>
    private async Task PlantRecycledFileAsync()
    {
        using var other = new TempDirectory();
        await using (var log = await WriteAheadLog.OpenAsync(Options(o => o.Directory = other.Path), Actors.Wal.IO.PhysicalFileSystem.Instance, null, null))
        {
            for (int v = 0; !File.Exists(other.File(SegmentHeader.FileName(2))); v++)
            {
                await log.AppendAsync("old", v, Events(OldPrefix + v + "-" + new string('o', 150)));
            }
        }

        File.Copy(other.File(SegmentHeader.FileName(1)), Dir.File(SegmentHeader.FileName(1) + SegmentManager.RecycledSuffix));
    }

    /// <summary>Appends to stream "new" until the writer moved into segment 2 (the recycled file), then three more.</summary>
    private async Task<List<string>> AppendIntoRecycledSegmentAsync(WriteAheadLog log)
    {
        var acked = new List<string>();
        int extra = 0;
        while (extra < 3)
        {
            string payload = $"new-{acked.Count}-" + new string('n', 200);
            await log.AppendAsync("new", acked.Count, Events(payload));
            acked.Add(payload);
            if (File.Exists(Dir.File(SegmentHeader.FileName(2))))
            {
                extra++;
            }

            Assert.True(acked.Count < 10_000, "the writer never moved into segment 2");
        }

        return acked;
    }

    /// <summary>The test is only meaningful when the file was reused as it was: old, valid-looking bytes after the new records.</summary>
    private void AssertStaleRecordsFollow(int appended)
    {
        byte[] bytes = File.ReadAllBytes(Dir.File(SegmentHeader.FileName(2)));
        Assert.True(bytes.Length > 32 * 1024, $"segment 2 is {bytes.Length} bytes: the recycled file was not used ({appended} appends)");
        Assert.True(bytes.AsSpan(bytes.Length / 2).IndexOf(System.Text.Encoding.UTF8.GetBytes(OldPrefix)) >= 0, "segment 2 does not hold the old records: the recycled file was zeroed or not used");
    }

    private static async Task AssertHoldsExactlyAsync(WriteAheadLog log, List<string> acked)
    {
        var stream = await log.ReadStreamAsync("new");
        Assert.Equal(acked, stream.Events.Select(e => Text(e.Payload)).ToList());
        Assert.Equal(0, (await log.ReadStreamAsync("old")).Version);
        var changes = await ChangeFeedTests.ReadAllAsync(log, ChangeFeedPosition.Beginning);
        Assert.Equal(acked, changes.Select(c => Text(c.Payload)).ToList());
        Assert.Equal(Enumerable.Range(1, acked.Count).Select(i => (long)i), changes.Select(c => c.Lsn));
    }
}
