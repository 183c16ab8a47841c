using Actors.Wal.Entries;
using Actors.Wal.Entries.Tests.Support;

namespace Actors.Wal.Entries.Tests;

/// <summary>
/// An entry log that starts above LSN 1: a durable checkpoint, deletion of the entries it covers (whole segments), a log
/// replaced by a checkpoint from elsewhere, and what opening finds on disk (decision tree in EntryLog.Recovery.cs).
/// </summary>
public sealed class EntryLogCheckpointTests : EntryLogTestBase
{
    /// <summary>Room for four entries of about 32 bytes per segment: 20 entries span five segments.</summary>
    private const long SmallSegmentBytes = 32 + (4 * 32);

    [Fact]
    public void DeletePrefix_AfterADurableCheckpoint_DeletesCoveredSegmentsAndReopensAtTheCheckpoint()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 20, epoch: 1);
            log.Sync();
            var segmentsBefore = log.SegmentCount;
            log.WriteCheckpoint(new EntryLogCheckpoint(10, 1, Bytes("state-10")));

            var deleted = log.DeletePrefix(10);

            Assert.Equal(2, deleted); // entries 1..4 and 5..8; 9..12 holds 11 and 12 too
            Assert.Equal(segmentsBefore - 2, log.SegmentCount);
            Assert.Equal(10, log.StartLsn);
            Assert.Equal(1, log.EpochAt(10));
            Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), log.Read(11, int.MaxValue).Select(e => e.Lsn));
            var refused = Assert.Throws<EntriesCheckpointedException>(() => log.Read(10, 1));
            Assert.Equal(10, refused.CheckpointLsn);
        }

        using var reopened = Open();
        Assert.Equal(10, reopened.StartLsn);
        Assert.Equal("state-10", Text(reopened.Checkpoint.State));
        Assert.Equal(1, reopened.Checkpoint.Epoch);
        Assert.Equal(20, reopened.EndLsn);
        Assert.Equal(20, reopened.DurableLsn);
        Assert.All(reopened.Read(11, int.MaxValue), e => Assert.Equal(Payload(e.Lsn), Text(e.Payload)));
        reopened.Append(Entry(21, 2));
        reopened.Sync();
        Assert.Equal(21, reopened.EndLsn);
    }

    [Fact]
    public void DeletePrefix_AboveTheDurableCheckpoint_IsRefusedAndDeletesNothing()
    {
        using var log = Open();
        AppendEntries(log, 1, 20, epoch: 1);
        log.Sync();
        log.WriteCheckpoint(new EntryLogCheckpoint(4, 1, Bytes("state-4")));
        var segments = log.SegmentCount;

        var error = Assert.Throws<CheckpointNotDurableException>(() => log.DeletePrefix(12));

        Assert.Equal(12, error.RequestedLsn);
        Assert.Equal(4, error.CheckpointLsn);
        Assert.Equal(segments, log.SegmentCount);
        Assert.Equal(5, log.Read(5, 1)[0].Lsn);
    }

    [Fact]
    public void WriteCheckpoint_AboveTheDurableLsnOrWithAnotherEpoch_IsRefused()
    {
        using var log = Open();
        AppendEntries(log, 1, 6, epoch: 2);
        log.Sync();
        AppendEntries(log, 7, 2, epoch: 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => log.WriteCheckpoint(new EntryLogCheckpoint(7, 2, Bytes("s"))));
        Assert.Throws<ArgumentException>(() => log.WriteCheckpoint(new EntryLogCheckpoint(5, 1, Bytes("s"))));
        Assert.Equal(0, log.StartLsn);
    }

    [Fact]
    public void TruncateAfter_BelowTheCheckpoint_IsRefusedAsCheckpointed()
    {
        using var log = Open();
        AppendEntries(log, 1, 12, epoch: 1);
        log.Sync();
        log.WriteCheckpoint(new EntryLogCheckpoint(8, 1, Bytes("state-8")));

        var error = Assert.Throws<EntriesCheckpointedException>(() => log.TruncateAfter(5));

        Assert.Equal(8, error.CheckpointLsn);
        Assert.Equal(12, log.EndLsn);
        log.TruncateAfter(8);
        Assert.Equal(8, log.EndLsn);
    }

    [Fact]
    public void InstallCheckpoint_ReplacesTheWholeLog_AppendsContinueAfterItAcrossAReopen()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 10, epoch: 1);
            log.Sync();
            log.PersistEpoch(3);

            log.InstallCheckpoint(new EntryLogCheckpoint(50, 2, Bytes("installed-50")));

            Assert.Equal(0, log.SegmentCount);
            Assert.Equal(50, log.StartLsn);
            Assert.Equal(50, log.EndLsn);
            Assert.Equal(50, log.DurableLsn);
            Assert.Equal(2, log.LastEpoch);
            log.Append(Entry(51, 3));
            log.Sync();
        }

        using var reopened = Open();
        Assert.Equal(50, reopened.StartLsn);
        Assert.Equal("installed-50", Text(reopened.Checkpoint.State));
        Assert.Equal([51L], reopened.Read(51, 10).Select(e => e.Lsn));
        Assert.Equal(3, reopened.EnteredEpoch);
    }

    [Fact]
    public void Open_InstallFileLeftByACrash_FinishesTheInstall()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 10, epoch: 1);
            log.Sync();
            log.PersistEpoch(2);
        }

        // A crash right after the install's commit point: the install file is durable, the old segments are still there.
        File.WriteAllBytes(Path.Combine(Dir.Path, "checkpoint.install"), EntryLogFormat.FormatCheckpointFile(new EntryLogCheckpoint(30, 2, Bytes("s30"))));

        using var reopened = Open();
        Assert.Equal(30, reopened.StartLsn);
        Assert.Equal(30, reopened.EndLsn);
        Assert.Equal(0, reopened.SegmentCount);
        Assert.False(File.Exists(Path.Combine(Dir.Path, "checkpoint.install")));
        Assert.Empty(Directory.GetFiles(Dir.Path, "*.entries"));
    }

    [Fact]
    public void Open_FirstSegmentStartsAboveTheCheckpoint_ThrowsCorruptedNamingTheMissingEntries()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 20, epoch: 1);
            log.Sync();
            log.WriteCheckpoint(new EntryLogCheckpoint(4, 1, Bytes("state-4")));
            log.DeletePrefix(4);
        }

        File.Delete(Path.Combine(Dir.Path, EntryLogFormat.SegmentFileName(5)));

        var error = Assert.Throws<LogCorruptedException>(() => Open());
        Assert.Contains("entries 5..8 are missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CheckpointFileDamaged_ThrowsCorrupted()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 8, epoch: 1);
            log.Sync();
            log.WriteCheckpoint(new EntryLogCheckpoint(6, 1, Bytes("state-6")));
        }

        var path = Path.Combine(Dir.Path, "checkpoint");
        var bytes = File.ReadAllBytes(path);
        bytes[34] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<LogCorruptedException>(() => Open());
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public async Task BeginCheckpoint_AppendsAndSyncsWhileItsFileIsWritten_CompleteThenDeletePrefix_ReopensAtIt()
    {
        using (var log = EntryLog.Open(new EntryLogOptions { Directory = Dir.Path, SegmentSizeBytes = SmallSegmentBytes }, Files))
        {
            AppendEntries(log, 1, 20, epoch: 1);
            log.Sync();
            using var gate = new ManualResetEventSlim(false);
            Files.GatedFilePrefix = "checkpoint.tmp";
            Files.FileGate = gate;
            var pending = log.BeginCheckpoint(new EntryLogCheckpoint(10, 1, Bytes("state-10")));
            var write = Task.Run(pending.Write);
            await Files.FileGateEntered.WaitAsync(TimeSpan.FromSeconds(60));

            // The checkpoint file's fsync is held: the owner goes on, and the checkpoint is not in force yet.
            AppendEntries(log, 21, 8, epoch: 2);
            log.Sync();
            Assert.Equal(0, log.StartLsn);
            Assert.Throws<InvalidOperationException>(() => log.CompleteCheckpoint(pending));
            gate.Set();
            await write.WaitAsync(TimeSpan.FromSeconds(60));
            log.CompleteCheckpoint(pending);

            Assert.Equal(10, log.StartLsn);
            Assert.Equal(2, log.DeletePrefix(10));
        }

        using var reopened = Open();
        Assert.Equal((10L, "state-10", 28L), (reopened.StartLsn, Text(reopened.Checkpoint.State), reopened.EndLsn));
        Assert.All(reopened.Read(11, int.MaxValue), e => Assert.Equal(Payload(e.Lsn), Text(e.Payload)));
    }

    [Fact]
    public void CompleteCheckpoint_ItsWriteFailed_FailsTheLogAndTheOldCheckpointStaysInForce()
    {
        using (var log = EntryLog.Open(new EntryLogOptions { Directory = Dir.Path, SegmentSizeBytes = SmallSegmentBytes }, Files))
        {
            AppendEntries(log, 1, 20, epoch: 1);
            log.Sync();
            log.WriteCheckpoint(new EntryLogCheckpoint(4, 1, Bytes("state-4")));
            var pending = log.BeginCheckpoint(new EntryLogCheckpoint(10, 1, Bytes("state-10")));
            Files.FailFsync = true;
            pending.Write();
            Files.FailFsync = false;

            var failed = Assert.Throws<LogFailedException>(() => log.CompleteCheckpoint(pending));

            Assert.Contains("write checkpoint", failed.Message, StringComparison.Ordinal);
            Assert.Equal(4, log.StartLsn);
            Assert.Throws<LogFailedException>(() => log.DeletePrefix(4));
        }

        using var reopened = Open();
        Assert.Equal((4L, "state-4"), (reopened.StartLsn, Text(reopened.Checkpoint.State)));
        Assert.Equal(20, reopened.EndLsn);
    }

    [Fact]
    public void CompleteCheckpoint_AfterAnInstallMadeOnceItsWriteReturned_KeepsTheInstalledCheckpoint()
    {
        using (var log = Open())
        {
            AppendEntries(log, 1, 20, epoch: 1);
            log.Sync();
            log.PersistEpoch(2);
            var pending = log.BeginCheckpoint(new EntryLogCheckpoint(10, 1, Bytes("state-10")));
            pending.Write();
            log.InstallCheckpoint(new EntryLogCheckpoint(50, 2, Bytes("installed-50")));

            log.CompleteCheckpoint(pending);

            Assert.Equal((50L, "installed-50"), (log.StartLsn, Text(log.Checkpoint.State)));
        }

        using var reopened = Open();
        Assert.Equal((50L, "installed-50", 50L), (reopened.StartLsn, Text(reopened.Checkpoint.State), reopened.EndLsn));
    }

    private EntryLog Open() => EntryLog.Open(new EntryLogOptions { Directory = Dir.Path, SegmentSizeBytes = SmallSegmentBytes });

    private static void AppendEntries(EntryLog log, long firstLsn, int count, long epoch)
        => log.Append(Enumerable.Range(0, count).Select(i => Entry(firstLsn + i, epoch)).ToArray());

    private static LoggedEntry Entry(long lsn, long epoch) => new(lsn, epoch, Bytes(Payload(lsn)));

    private static string Payload(long lsn) => $"entry-{lsn}";
}
