using System.Buffers.Binary;
using System.Security.Cryptography;
using Actors.Wal.Format;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>The spare segment prepared in the background, across reopen: kept when sound, zeroed when it holds records.</summary>
public sealed class SpareSegmentTests : LogTestBase
{
    [Fact]
    public async Task OpenAsync_CleanlyClosedLogWithSpare_KeepsTheSpareAndChangesNoFile()
    {
        await using (var log = await OpenAsync(o => o.PreallocateSegments = true))
        {
            await log.AppendAsync("x", 0, Events("a"));
            await log.WhenSpareSettledAsync();
        }

        Dictionary<string, string> before = Fingerprint();
        Assert.Contains(before.Keys, name => name.EndsWith(".wal.spare", StringComparison.Ordinal));

        await using var reopened = await OpenAsync(o => o.PreallocateSegments = true);
        await reopened.WhenSpareSettledAsync();

        Assert.Equal(before, Fingerprint());
        Assert.Equal(1, (await reopened.ReadStreamAsync("x")).Version);
    }

    [Fact]
    public async Task OpenAsync_SpareHoldsAStaleRecord_ZeroesItBeforeTheWriterSwitchesToIt()
    {
        var log = await OpenAsync(o => o.PreallocateSegments = true);
        long x = 0;
        for (; x < 5; x++)
        {
            await log.AppendAsync("x", x, Events($"e{x}"));
        }

        await log.WhenSpareSettledAsync();
        await log.AbandonAsync();

        // A valid record (a copy of the first one, its CRC under the spare's record salt, as the writer would have framed
        // it there) left in the spare, well after its start: what a switch to the spare that a crash cut short can leave
        // (never acknowledged). It must never be read as the next segment's record.
        string spare = Directory.GetFiles(Dir.Path, "*.wal.spare").Single();
        byte[] first = File.ReadAllBytes(Dir.Segments()[0]);
        int length = BinaryPrimitives.ReadInt32LittleEndian(first.AsSpan(SegmentHeader.Size));
        byte[] record = first.AsSpan(SegmentHeader.Size, length).ToArray();
        RecordCodec.SealCrc(record, SegmentHeader.ReadRecordSalt(File.ReadAllBytes(spare)));
        using (var stream = new FileStream(spare, FileMode.Open, FileAccess.Write))
        {
            stream.Position = SegmentHeader.Size + 8192;
            stream.Write(record);
        }

        var reopened = await OpenAsync(o => o.PreallocateSegments = true);
        await reopened.WhenSpareSettledAsync();
        Assert.True(
            File.ReadAllBytes(spare).AsSpan(SegmentHeader.Size).IndexOfAnyExcept((byte)0) < 0,
            $"the kept spare {spare} still holds non-zero bytes after its header");
        while (reopened.GetStatistics().SegmentCount < 2)
        {
            await reopened.AppendAsync("x", x, Events($"e{x}" + new string('.', 900)));
            x++;
        }

        await reopened.DisposeAsync();
        await using var final = await OpenAsync(o => o.PreallocateSegments = true);
        var read = await final.ReadStreamAsync("x");

        Assert.Equal(x, read.Version);
        Assert.Equal(Enumerable.Range(0, (int)x).Select(i => (long)i + 1), read.Events.Select(e => e.Version));
        Assert.Equal(0, final.GetStatistics().Recovery.CorruptedRecords);
    }

    private Dictionary<string, string> Fingerprint() =>
        Directory.GetFiles(Dir.Path)
            .Where(f => Path.GetFileName(f) != WriteAheadLog.LockFileName)
            .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
