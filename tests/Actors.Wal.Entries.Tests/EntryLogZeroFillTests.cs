using Actors.Wal.Entries;
using Actors.Wal.Entries.Tests.Support;

namespace Actors.Wal.Entries.Tests;

/// <summary>
/// The zero-filled reserve ahead of an entry log's last record (<see cref="EntryLogOptions.ZeroFillAheadBytes"/>):
/// written once per reserve, cut from sealed segments, cut without counting as torn at open.
/// </summary>
public sealed class EntryLogZeroFillTests : EntryLogTestBase
{
    private const int SegmentBytes = 4096;

    [Fact]
    public void Append_PastTheZeroFilledEnd_ZeroFillsAheadOnceWithinTheSegmentSize()
    {
        using var log = Open(ahead: 1000);
        log.Append(Entry(1));
        log.Sync();
        var path = Dir.EntrySegments()[^1];
        var firstEnd = 32 + RecordBytes(1);
        Assert.Equal(firstEnd + 1000, new FileInfo(path).Length);

        log.Append(Entry(2));
        log.Sync();

        Assert.Equal(firstEnd + 1000, new FileInfo(path).Length);
        var bytes = File.ReadAllBytes(path);
        Assert.All(bytes[(firstEnd + RecordBytes(2))..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Append_ReserveLargerThanTheSegment_StopsAtTheSegmentSize()
    {
        using var log = Open(ahead: 1024 * 1024);
        log.Append(Entry(1));
        log.Sync();

        Assert.Equal(SegmentBytes, new FileInfo(Dir.EntrySegments()[^1]).Length);
    }

    [Fact]
    public void Append_WithZeroFillAheadOff_FileEndsAtTheLastRecord()
    {
        using var log = Open(ahead: 0);
        log.Append(Entry(1));
        log.Sync();

        Assert.Equal(32 + RecordBytes(1), new FileInfo(Dir.EntrySegments()[^1]).Length);
    }

    [Fact]
    public void Append_IntoANewSegment_CutsTheSealedSegmentToItsRecords()
    {
        // Segments of 32 + 3 records of 31 bytes: entries 1-3 fill the first, entry 4 starts the second.
        using (var log = Open(ahead: 1000, segmentBytes: 32 + (3 * 31)))
        {
            log.Append([Entry(1), Entry(2), Entry(3)]);
            log.Sync();
            log.Append(Entry(4));
            log.Sync();
            var segments = Dir.EntrySegments();
            Assert.Equal(2, segments.Length);
            Assert.Equal(32 + (3 * RecordBytes(1)), new FileInfo(segments[0]).Length);
        }

        using var reopened = Open(ahead: 1000, segmentBytes: 32 + (3 * 31));
        Assert.Equal(4, reopened.EndLsn);
        Assert.Equal(0, reopened.TornBytesCutAtOpen);
    }

    [Fact]
    public void Open_AfterACleanClose_KeepsEveryEntryCutsTheReserveAndReservesAgainOnAppend()
    {
        using (var log = Open(ahead: 1000))
        {
            log.Append([Entry(1), Entry(2), Entry(3)]);
            log.Sync();
        }

        var path = Dir.EntrySegments()[^1];
        var recordsEnd = 32 + (3 * RecordBytes(1));
        using var reopened = Open(ahead: 1000);

        Assert.Equal(3, reopened.EndLsn);
        Assert.Equal(0, reopened.TornBytesCutAtOpen);
        Assert.Equal(recordsEnd, new FileInfo(path).Length);
        reopened.Append(Entry(4));
        reopened.Sync();
        Assert.Equal(recordsEnd + RecordBytes(4) + 1000, new FileInfo(path).Length);
        Assert.Equal(["entry-1", "entry-2", "entry-3", "entry-4"], reopened.Read(1, 10).Select(e => Text(e.Payload)));
    }

    [Fact]
    public void Open_TornBytesInsideTheReserve_CountsOnlyUpToTheLastNonZeroByte()
    {
        using (var log = Open(ahead: 1000))
        {
            log.Append([Entry(1), Entry(2)]);
            log.Sync();
        }

        var path = Dir.EntrySegments()[^1];
        var recordsEnd = 32 + (2 * RecordBytes(1));
        using (var stream = File.Open(path, FileMode.Open))
        {
            stream.Position = recordsEnd;
            stream.Write([0x2B, 0, 0, 0, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB]);
        }

        using var reopened = Open(ahead: 1000);

        Assert.Equal(2, reopened.EndLsn);
        Assert.Equal(10, reopened.TornBytesCutAtOpen);
        Assert.Equal(recordsEnd, new FileInfo(path).Length);
    }

    [Fact]
    public void Options_NegativeZeroFillAhead_FailsNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Open(ahead: -1));

        Assert.Contains(nameof(EntryLogOptions.ZeroFillAheadBytes), error.Message, StringComparison.Ordinal);
    }

    private EntryLog Open(long ahead, long segmentBytes = SegmentBytes)
        => EntryLog.Open(new EntryLogOptions { Directory = Dir.Path, SegmentSizeBytes = segmentBytes, ZeroFillAheadBytes = ahead });

    private static LoggedEntry Entry(long lsn) => new(lsn, 1, Bytes($"entry-{lsn}"));

    /// <summary>The record size of entry <paramref name="lsn"/> (a 24-byte header and "entry-N"; 31 bytes for N below 10).</summary>
    private static int RecordBytes(long lsn) => 24 + $"entry-{lsn}".Length;
}
