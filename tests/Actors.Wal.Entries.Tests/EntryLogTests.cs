using Actors.Wal.Entries;
using Actors.Wal.Entries.Tests.Support;

namespace Actors.Wal.Entries.Tests;

/// <summary>The entry log replication keeps on each replica: append at an LSN, durable truncation, reads, recovery.</summary>
public sealed class EntryLogTests : EntryLogTestBase
{
    /// <summary>Room for four entries of about 32 bytes per segment, so short logs span several segments.</summary>
    private const long SmallSegmentBytes = 32 + (4 * 32);

    [Fact]
    public void Append_ThenReopen_ReadsEveryEntryWithItsEpoch()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 10, epoch: 1);
            AppendEntries(log, 11, 5, epoch: 3);
            log.Sync();
            Assert.Equal(15, log.DurableLsn);
        }

        using var reopened = Open();
        Assert.Equal(15, reopened.EndLsn);
        Assert.Equal(15, reopened.DurableLsn);
        Assert.Equal(3, reopened.LastEpoch);
        Assert.True(reopened.SegmentCount > 2, $"expected several segments, found {reopened.SegmentCount}");
        var entries = reopened.Read(1, int.MaxValue);
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), entries.Select(e => e.Lsn));
        Assert.All(entries, e => Assert.Equal(Payload(e.Lsn), Text(e.Payload)));
        Assert.All(entries, e => Assert.Equal(e.Lsn <= 10 ? 1 : 3, e.Epoch));
    }

    [Fact]
    public void Read_FromTheMiddle_ReturnsAtMostTheRequestedCount()
    {
        using var log = Open();
        AppendEntries(log, 1, 12, epoch: 2);

        Assert.Equal([5L, 6, 7], log.Read(5, 3).Select(e => e.Lsn));
        Assert.Equal([11L, 12], log.Read(11, 10).Select(e => e.Lsn));
        Assert.Empty(log.Read(13, 10));
        Assert.Equal(2, log.EpochAt(7));
    }

    [Fact]
    public void Append_AtAnLsnOtherThanTheNext_IsRefusedAndNothingIsWritten()
    {
        using var log = Open();
        AppendEntries(log, 1, 3, epoch: 1);

        var gap = Assert.Throws<EntrySequenceException>(() => log.Append(Entry(5, 1)));
        var overlap = Assert.Throws<EntrySequenceException>(() => log.Append(Entry(3, 1)));

        Assert.Contains("entry LSN 5 where 4 comes next", gap.Message, StringComparison.Ordinal);
        Assert.Contains("entry LSN 3 where 4 comes next", overlap.Message, StringComparison.Ordinal);
        Assert.Equal(3, log.EndLsn);
    }

    [Fact]
    public void Append_EpochBelowTheLastEntrys_IsRefused()
    {
        using var log = Open();
        AppendEntries(log, 1, 2, epoch: 4);

        var error = Assert.Throws<EntrySequenceException>(() => log.Append([Entry(3, 4), Entry(4, 3)]));

        Assert.Contains("epoch 3, below the previous entry's epoch 4", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, log.EndLsn);
    }

    [Fact]
    public void Append_PayloadAboveTheLimit_IsRejectedWithTheSizes()
    {
        using var log = Open(o => o.MaxEntryBytes = 100);

        var error = Assert.Throws<RecordTooLargeException>(() => log.Append(new LoggedEntry(1, 1, new byte[101])));

        Assert.Equal(101, error.Bytes);
        Assert.Equal(100, error.MaximumBytes);
        Assert.Equal(0, log.EndLsn);
    }

    [Fact]
    public void TruncateAfter_AcrossSegmentBoundaries_DeletesLaterSegmentsAndKeepsThePrefix()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 20, epoch: 1);
            log.Sync();
            var segmentsBefore = log.SegmentCount;

            log.TruncateAfter(6);

            Assert.True(log.SegmentCount < segmentsBefore, $"segments {segmentsBefore} -> {log.SegmentCount}");
            Assert.Equal(6, log.EndLsn);
            Assert.Equal(6, log.DurableLsn);
            Assert.Equal(log.SegmentCount, Dir.EntrySegments().Length);
        }

        using var reopened = Open();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), reopened.Read(1, int.MaxValue).Select(e => e.Lsn));
    }

    [Fact]
    public void TruncateAfter_ThenAppendANewTail_ReopenSeesTheNewTailNeverTheOldOne()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 12, epoch: 1);
            log.Sync();
            log.TruncateAfter(9);
            log.Append([new LoggedEntry(10, 2, Bytes("new-10")), new LoggedEntry(11, 2, Bytes("new-11"))]);
            log.Sync();
        }

        using var reopened = Open();
        var tail = reopened.Read(9, int.MaxValue);
        Assert.Equal(["entry-9", "new-10", "new-11"], tail.Select(e => Text(e.Payload)));
        Assert.Equal([1L, 2, 2], tail.Select(e => e.Epoch));
    }

    [Fact]
    public void TruncateAfter_Zero_EmptiesTheLogAndItStartsAgainAtLsnOne()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 9, epoch: 1);
            log.TruncateAfter(0);
            Assert.Equal(0, log.EndLsn);
            Assert.Equal(0, log.SegmentCount);
            AppendEntries(log, 1, 2, epoch: 2);
            log.Sync();
        }

        using var reopened = Open();
        Assert.Equal([1L, 2], reopened.Read(1, 10).Select(e => e.Lsn));
        Assert.Equal(2, reopened.LastEpoch);
    }

    [Fact]
    public void TruncateAfter_BeyondTheEnd_Throws()
    {
        using var log = Open();
        AppendEntries(log, 1, 2, epoch: 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => log.TruncateAfter(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.TruncateAfter(-1));
    }

    [Fact]
    public void Open_TornLastRecord_CutsTheTailAndAcceptsTheNextAppendAtThatLsn()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 6, epoch: 1);
            log.Sync();
        }

        // Four entries per segment: the last segment holds entries 5 and 6, then its zero-filled reserve.
        var last = Dir.EntrySegments()[^1];
        var recordsEnd = 32 + RecordBytes(Payload(5)) + RecordBytes(Payload(6));
        using (var stream = File.Open(last, FileMode.Open))
        {
            stream.SetLength(recordsEnd - 5);
        }

        using (var reopened = Open())
        {
            Assert.Equal(5, reopened.EndLsn);
            Assert.Equal(RecordBytes(Payload(6)) - 5, reopened.TornBytesCutAtOpen);
            reopened.Append(new LoggedEntry(6, 1, Bytes("replacement-6")));
            reopened.Sync();
        }

        using var again = Open();
        Assert.Equal("replacement-6", Text(again.Read(6, 1)[0].Payload));
        Assert.Equal(0, again.TornBytesCutAtOpen);
    }

    [Fact]
    public void Open_ZeroFilledTailAfterTheLastRecord_IsCutWithoutCountingAsTorn()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 2, epoch: 1);
            log.Sync();
        }

        var last = Dir.EntrySegments()[^1];
        using (var stream = File.Open(last, FileMode.Append))
        {
            stream.Write(new byte[100]);
        }

        using var reopened = Open();
        Assert.Equal(2, reopened.EndLsn);
        Assert.Equal(0, reopened.TornBytesCutAtOpen);
        Assert.Equal(new FileInfo(last).Length, 32 + (2 * RecordBytes(Payload(1))));
    }

    [Fact]
    public void Open_DamagedRecordInAnEarlierSegment_ThrowsLogCorruptedNamingTheFile()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 12, epoch: 1);
            log.Sync();
        }

        var first = Dir.EntrySegments()[0];
        FaultInjectingFileSystem.FlipBit(first, 32 + 30);

        var error = Assert.Throws<LogCorruptedException>(() => Open());
        Assert.Equal(first, error.FilePath);
        Assert.Equal(32, error.Offset);
    }

    [Fact]
    public void Open_MissingMiddleSegment_ThrowsLogCorruptedForTheGap()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 16, epoch: 1);
            log.Sync();
        }

        var segments = Dir.EntrySegments();
        Assert.True(segments.Length >= 3, $"need 3 segments, have {segments.Length}");
        File.Delete(segments[1]);

        var error = Assert.Throws<LogCorruptedException>(() => Open());
        Assert.Contains("comes next", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LastSegmentWithTornHeader_IsDeleted()
    {
        // Without a zero-filled reserve: the log cuts a segment's reserve before it creates the next one.
        using (var log = Open(o => o.ZeroFillAheadBytes = 0))
        {
            AppendEntries(log, 1, 3, epoch: 1);
            log.Sync();
        }

        var orphan = Dir.File("00000000000000000004.entries");
        File.WriteAllBytes(orphan, new byte[10]);

        using var reopened = Open();
        Assert.Equal(3, reopened.EndLsn);
        Assert.False(File.Exists(orphan));
        Assert.Equal(10, reopened.TornBytesCutAtOpen);
    }

    [Fact]
    public void PersistEpoch_Reopen_KeepsTheEnteredEpoch()
    {
        using (var log = Open())
        {
            Assert.Equal(0, log.EnteredEpoch);
            log.PersistEpoch(3);
            log.PersistEpoch(7);
            Assert.Throws<ArgumentOutOfRangeException>(() => log.PersistEpoch(6));
        }

        using var reopened = Open();
        Assert.Equal(7, reopened.EnteredEpoch);
    }

    [Fact]
    public void Open_DamagedEpochFile_ThrowsLogCorrupted()
    {
        using (var log = Open())
        {
            log.PersistEpoch(2);
        }

        FaultInjectingFileSystem.FlipBit(Dir.File("epoch"), 13);

        Assert.Throws<LogCorruptedException>(() => Open());
    }

    [Fact]
    public void Sync_FsyncFails_TheLogFailsAndRefusesEveryLaterWrite()
    {
        var fileSystem = new FaultInjectingFileSystem(FaultInjectionLayout.None);
        using var log = EntryLog.Open(EntryOptions(), fileSystem);
        AppendEntries(log, 1, 2, epoch: 1);
        fileSystem.FailFsync = true;

        var failure = Assert.Throws<LogFailedException>(() => log.Sync());
        fileSystem.FailFsync = false;

        Assert.Equal("fsync", failure.Operation);
        Assert.Throws<LogFailedException>(() => log.Append(Entry(3, 1)));
        Assert.Throws<LogFailedException>(() => log.Sync());
        Assert.Throws<LogFailedException>(() => log.TruncateAfter(1));
        Assert.Equal(0, log.DurableLsn);
    }

    [Fact]
    public void Open_SecondInstanceOnTheSameDirectory_ThrowsLocked()
    {
        using var log = Open();

        Assert.Throws<LogDirectoryLockedException>(() => Open());
    }

    [Fact]
    public void Options_InvalidSegmentSize_FailsNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Open(o => o.SegmentSizeBytes = 10));

        Assert.Contains(nameof(EntryLogOptions.SegmentSizeBytes), error.Message, StringComparison.Ordinal);
    }

    private EntryLog Open(Action<EntryLogOptions>? configure = null) => EntryLog.Open(EntryOptions(configure));

    private EntryLogOptions EntryOptions(Action<EntryLogOptions>? configure = null)
    {
        var options = new EntryLogOptions { Directory = Dir.Path, SegmentSizeBytes = SmallSegmentBytes };
        configure?.Invoke(options);
        return options;
    }

    private static void AppendEntries(EntryLog log, long firstLsn, int count, long epoch)
        => log.Append(Enumerable.Range(0, count).Select(i => Entry(firstLsn + i, epoch)).ToArray());

    private static LoggedEntry Entry(long lsn, long epoch) => new(lsn, epoch, Bytes(Payload(lsn)));

    private static string Payload(long lsn) => $"entry-{lsn}";

    private static int RecordBytes(string payload) => 24 + System.Text.Encoding.UTF8.GetByteCount(payload);
}
