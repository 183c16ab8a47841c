using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;
using Actors.Wal.Entries.Tests.Support;

namespace Actors.Wal.Entries.Tests.Journal;

/// <summary>Entry logs kept as records of one shared journal: appends, group-committed syncs, truncations, checkpoints, installs, what reopening finds, and the refusal of the other layout's directories.</summary>
public sealed class EntryJournalTests : EntryLogTestBase
{
    /// <summary>Room for about four entries of 40 bytes per segment, so short logs span several segments.</summary>
    private const long SmallSegmentBytes = 32 + (4 * 42);

    private string JournalDirectory => Path.Combine(Dir.Path, "journal");

    [Fact]
    public void Append_TwoLogsThenReopen_ReadsEveryEntryOfEachWithItsEpoch()
    {
        using (var journal = OpenJournal())
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        using (var b = journal.OpenLog(2, LogDirectory("b")))
        {
            for (var lsn = 1; lsn <= 10; lsn++)
            {
                a.Append(Entry(lsn, lsn <= 6 ? 1 : 3, "a"));
                b.Append(Entry(lsn, 2, "b"));
            }

            a.Sync();
            b.Sync();
            Assert.Equal(10, a.DurableLsn);
            Assert.Equal(10, b.DurableLsn);
        }

        using var reopened = OpenJournal();
        using var a2 = reopened.OpenLog(1, LogDirectory("a"));
        using var b2 = reopened.OpenLog(2, LogDirectory("b"));
        Assert.True(reopened.SegmentCount > 2, $"expected several segments, found {reopened.SegmentCount}");
        Assert.Equal(10, a2.EndLsn);
        Assert.Equal(10, a2.DurableLsn);
        Assert.Equal(3, a2.LastEpoch);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"a-{i}"), a2.Read(1, int.MaxValue).Select(e => Text(e.Payload)));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"b-{i}"), b2.Read(1, int.MaxValue).Select(e => Text(e.Payload)));
        Assert.Equal(1, a2.EpochAt(6));
        Assert.Equal(3, a2.EpochAt(7));
    }

    [Fact]
    public async Task RequestSync_ReturnsBeforeTheFsyncAndCompletesForEveryWaitingLog()
    {
        using var journal = OpenJournal();
        using var a = journal.OpenLog(1, LogDirectory("a"));
        using var b = journal.OpenLog(2, LogDirectory("b"));
        a.Append(Entry(1, 1, "a"));
        b.Append(Entry(1, 1, "b"));
        b.Append(Entry(2, 1, "b"));

        var syncA = a.RequestSync();
        var syncB = b.RequestSync();
        Assert.Equal(0, a.DurableLsn);
        await Task.WhenAll(syncA.Completion, syncB.Completion).WaitAsync(Generous);
        a.CompleteSync(syncA);
        b.CompleteSync(syncB);

        Assert.Equal(1, a.DurableLsn);
        Assert.Equal(2, b.DurableLsn);
        Assert.InRange(journal.Syncs, 1, 2);
    }

    [Fact]
    public async Task RequestSync_WithCallback_CallsItOnceAfterItsCompletion()
    {
        using var journal = OpenJournal();
        using var a = journal.OpenLog(1, LogDirectory("a"));
        a.Append(Entry(1, 1, "a"));
        var calls = 0;
        var called = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        EntryLogSync? sync = null;
        var state = new object();

        sync = a.RequestSync(
            s =>
            {
                Assert.Same(state, s);
                Interlocked.Increment(ref calls);
                called.TrySetResult(Volatile.Read(ref sync) is not { } requested || requested.Completion.IsCompletedSuccessfully);
            },
            state);
        Assert.True(await called.Task.WaitAsync(Generous), "the callback ran before the sync's completion had completed");
        a.CompleteSync(sync);
        a.Append(Entry(2, 1, "a"));
        a.Sync();

        Assert.Equal(2, a.DurableLsn);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public void RequestSync_WithCallbackWhenEverythingIsDurable_CallsItBeforeReturning()
    {
        using var journal = OpenJournal();
        using var a = journal.OpenLog(1, LogDirectory("a"));
        a.Append(Entry(1, 1, "a"));
        a.Sync();
        var calls = 0;

        var sync = a.RequestSync(_ => calls++, null);

        Assert.Equal(1, calls);
        Assert.True(sync.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public void CompleteSync_BeforeItsCompletion_IsRefused()
    {
        using var journal = OpenJournal();
        using var a = journal.OpenLog(1, LogDirectory("a"));
        var pending = new EntryLogSync(5, 0, new TaskCompletionSource().Task);

        Assert.Throws<InvalidOperationException>(() => a.CompleteSync(pending));
    }

    [Fact]
    public void TruncateAfter_ThenReopen_NeverBringsBackTheRemovedEntries()
    {
        using (var journal = OpenJournal())
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        using (var b = journal.OpenLog(2, LogDirectory("b")))
        {
            for (var lsn = 1; lsn <= 9; lsn++)
            {
                a.Append(Entry(lsn, 1, "a"));
                b.Append(Entry(lsn, 1, "b"));
            }

            a.Sync();
            a.TruncateAfter(4);
            Assert.Equal(4, a.EndLsn);
            Assert.Equal(4, a.DurableLsn);
            a.Append(Entry(5, 2, "replacement"));
            a.Append(Entry(6, 2, "replacement"));
            a.Sync();
            b.Sync();
        }

        using var reopened = OpenJournal();
        using var a2 = reopened.OpenLog(1, LogDirectory("a"));
        using var b2 = reopened.OpenLog(2, LogDirectory("b"));
        Assert.Equal(["a-1", "a-2", "a-3", "a-4", "replacement-5", "replacement-6"], a2.Read(1, int.MaxValue).Select(e => Text(e.Payload)));
        Assert.Equal(2, a2.LastEpoch);
        Assert.Equal(9, b2.EndLsn);
    }

    [Fact]
    public void TruncateAfter_BelowTheCheckpoint_IsRefused()
    {
        using var journal = OpenJournal();
        using var a = journal.OpenLog(1, LogDirectory("a"));
        AppendEntries(a, 1, 6, epoch: 1);
        a.Sync();
        a.WriteCheckpoint(new EntryLogCheckpoint(4, 1, Bytes("state-4")));

        Assert.Throws<EntriesCheckpointedException>(() => a.TruncateAfter(3));
        Assert.Equal(6, a.EndLsn);
    }

    [Fact]
    public void DeletePrefix_DeletesASegmentOnlyOnceNoLogHoldsAnEntryInIt()
    {
        using var journal = OpenJournal();
        using var a = journal.OpenLog(1, LogDirectory("a"));
        using var b = journal.OpenLog(2, LogDirectory("b"));
        for (var lsn = 1; lsn <= 12; lsn++)
        {
            a.Append(Entry(lsn, 1, "a"));
            b.Append(Entry(lsn, 1, "b"));
        }

        a.Sync();
        b.Sync();
        var segmentsBefore = journal.SegmentCount;
        a.WriteCheckpoint(new EntryLogCheckpoint(12, 1, Bytes("a-state")));
        Assert.Equal(0, a.DeletePrefix(12));
        Assert.Equal(segmentsBefore, journal.SegmentCount);

        b.WriteCheckpoint(new EntryLogCheckpoint(10, 1, Bytes("b-state")));
        var deleted = b.DeletePrefix(10);

        Assert.True(deleted > 0, "the segments below both checkpoints are deleted");
        Assert.Equal(segmentsBefore - deleted, journal.SegmentCount);
        Assert.Equal(["b-11", "b-12"], b.Read(11, 10).Select(e => Text(e.Payload)));
        Assert.Throws<CheckpointNotDurableException>(() => b.DeletePrefix(11));
    }

    [Fact]
    public void ReleaseLog_AfterItsOwnerLeft_ReopensEmptyInAFreshDirectoryAlsoAfterTheJournalReopens()
    {
        using (var journal = OpenJournal())
        {
            using (var a = journal.OpenLog(1, LogDirectory("a")))
            {
                AppendEntries(a, 1, 6, 2);
                a.Sync();
                a.WriteCheckpoint(new EntryLogCheckpoint(3, 2, Bytes("a-state")));
                a.DeletePrefix(3);
            }

            journal.ReleaseLog(1);
            Directory.Delete(LogDirectory("a"), recursive: true);
            using var again = journal.OpenLog(1, LogDirectory("a"));
            Assert.Equal((0L, 0L, 0L), (again.StartLsn, again.EndLsn, again.LastEpoch));
            again.Append(Entry(1, 5, "new"));
            again.Sync();
        }

        using var reopened = OpenJournal();
        using var a2 = reopened.OpenLog(1, LogDirectory("a"));
        Assert.Equal((0L, 1L), (a2.StartLsn, a2.EndLsn));
        Assert.Equal(["new-1"], a2.Read(1, 10).Select(e => Text(e.Payload)));
        Assert.Equal(5, a2.LastEpoch);
    }

    [Fact]
    public void ReleaseLog_NeverReopened_LeavesNoEntryOfItAfterTheJournalReopens()
    {
        using (var journal = OpenJournal())
        {
            using (var a = journal.OpenLog(1, LogDirectory("a")))
            {
                AppendEntries(a, 1, 6, 1);
                a.Sync();
            }

            journal.ReleaseLog(1);
        }

        Directory.Delete(LogDirectory("a"), recursive: true);
        using var reopened = OpenJournal();
        using var a2 = reopened.OpenLog(1, LogDirectory("a"));
        Assert.Equal((0L, 0L), (a2.StartLsn, a2.EndLsn));
    }

    [Fact]
    public void ReleaseLog_DeletesTheSegmentsOnlyTheReleasedLogHeldAndKeepsTheOthersEntries()
    {
        using var journal = OpenJournal();
        using var b = journal.OpenLog(2, LogDirectory("b"));
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        {
            b.Append(Entry(1, 1, "b"));
            b.Sync();
            b.WriteCheckpoint(new EntryLogCheckpoint(1, 1, Bytes("b-state")));
            b.DeletePrefix(1);
            AppendEntries(a, 1, 12, 1);
            a.Sync();
        }

        var segmentsBefore = journal.SegmentCount;
        b.Append(Entry(2, 1, "b"));
        b.Sync();

        var deleted = journal.ReleaseLog(1);

        Assert.True(deleted > 0 && journal.SegmentCount < segmentsBefore, $"{deleted} segments deleted; {segmentsBefore} before, {journal.SegmentCount} after");
        Assert.Equal(["b-2"], b.Read(2, 10).Select(e => Text(e.Payload)));
    }

    [Fact]
    public void ReleaseLog_OfAnOpenLog_IsRefusedAndTheLogKeepsItsEntries()
    {
        using var journal = OpenJournal();
        using var a = journal.OpenLog(1, LogDirectory("a"));
        AppendEntries(a, 1, 3, 1);
        a.Sync();

        Assert.Throws<InvalidOperationException>(() => journal.ReleaseLog(1));
        Assert.Equal(3, a.Read(1, 10).Count);
    }

    [Fact]
    public void Reopen_AfterPrefixDeletion_StartsEachLogAtItsCheckpoint()
    {
        using (var journal = OpenJournal())
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        using (var b = journal.OpenLog(2, LogDirectory("b")))
        {
            for (var lsn = 1; lsn <= 12; lsn++)
            {
                a.Append(Entry(lsn, 1, "a"));
                b.Append(Entry(lsn, 1, "b"));
            }

            a.Sync();
            b.Sync();
            a.WriteCheckpoint(new EntryLogCheckpoint(11, 1, Bytes("a-state")));
            b.WriteCheckpoint(new EntryLogCheckpoint(9, 1, Bytes("b-state")));
            a.DeletePrefix(11);
            Assert.True(b.DeletePrefix(9) > 0);
        }

        using var reopened = OpenJournal();
        using var a2 = reopened.OpenLog(1, LogDirectory("a"));
        using var b2 = reopened.OpenLog(2, LogDirectory("b"));
        Assert.Equal(11, a2.StartLsn);
        Assert.Equal("a-state", Text(a2.Checkpoint.State));
        Assert.Equal(["a-12"], a2.Read(12, 10).Select(e => Text(e.Payload)));
        Assert.Equal(9, b2.StartLsn);
        Assert.Equal(["b-10", "b-11", "b-12"], b2.Read(10, 10).Select(e => Text(e.Payload)));
    }

    [Fact]
    public void InstallCheckpoint_ThenReopen_TheLogIsTheCheckpointAndTheOtherLogIsUntouched()
    {
        using (var journal = OpenJournal())
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        using (var b = journal.OpenLog(2, LogDirectory("b")))
        {
            AppendEntries(a, 1, 5, epoch: 1);
            AppendEntries(b, 1, 5, epoch: 1);
            a.PersistEpoch(2);
            a.InstallCheckpoint(new EntryLogCheckpoint(40, 2, Bytes("installed-40")));
            Assert.Equal(40, a.EndLsn);
            Assert.Equal(40, a.DurableLsn);
            a.Append(Entry(41, 2, "after"));
            a.Sync();
            b.Sync();
        }

        using var reopened = OpenJournal();
        using var a2 = reopened.OpenLog(1, LogDirectory("a"));
        using var b2 = reopened.OpenLog(2, LogDirectory("b"));
        Assert.Equal(40, a2.StartLsn);
        Assert.Equal("installed-40", Text(a2.Checkpoint.State));
        Assert.Equal(["after-41"], a2.Read(41, 10).Select(e => Text(e.Payload)));
        Assert.Equal(5, b2.EndLsn);
        Assert.False(File.Exists(Path.Combine(LogDirectory("a"), "checkpoint.install")));
    }

    [Fact]
    public void OpenLog_WithAnInstallFileLeftByACrash_FinishesTheInstallAndDropsTheOldEntries()
    {
        using (var journal = OpenJournal())
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        {
            AppendEntries(a, 1, 8, epoch: 1);
            a.Sync();
        }

        // A crash right after the install's commit point: the install file is written, the reset record is not.
        File.WriteAllBytes(
            Path.Combine(LogDirectory("a"), "checkpoint.install"), EntryLogFormat.FormatCheckpointFile(new EntryLogCheckpoint(30, 2, Bytes("s30"))));

        using (var journal = OpenJournal())
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        {
            Assert.Equal(30, a.StartLsn);
            Assert.Equal(30, a.EndLsn);
            a.Append(Entry(31, 2, "next"));
            a.Sync();
        }

        using var reopened = OpenJournal();
        using var again = reopened.OpenLog(1, LogDirectory("a"));
        Assert.Equal(30, again.StartLsn);
        Assert.Equal(["next-31"], again.Read(31, 10).Select(e => Text(e.Payload)));
        Assert.False(File.Exists(Path.Combine(LogDirectory("a"), "checkpoint.install")));
    }

    [Fact]
    public void Open_TornTailOfTheJournal_IsCutAndEverySyncedEntryKept()
    {
        using (var journal = OpenJournal(o => o.SegmentSizeBytes = EntryJournalOptions.DefaultSegmentSizeBytes))
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        {
            AppendEntries(a, 1, 5, epoch: 1);
            a.Sync();
            AppendEntries(a, 6, 1, epoch: 1);
        }

        var segment = Directory.GetFiles(JournalDirectory, "*.journal").Single();
        using (var file = File.Open(segment, FileMode.Open))
        {
            // The last record's payload damaged: a torn write.
            var lastRecordEnd = 32 + (6 * RecordBytes("a-1"));
            file.Position = lastRecordEnd - 2;
            file.WriteByte(0xFF);
        }

        using var reopened = OpenJournal();
        using var a2 = reopened.OpenLog(1, LogDirectory("a"));
        Assert.Equal(5, a2.EndLsn);
        Assert.True(reopened.TornBytesCutAtOpen > 0);
        a2.Append(Entry(6, 1, "again"));
        a2.Sync();
        Assert.Equal("again-6", Text(a2.Read(6, 1)[0].Payload));
    }

    [Fact]
    public void OpenLog_ACheckpointBeyondTheJournalsEntries_IsCorruption()
    {
        using (var journal = OpenJournal())
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        {
            AppendEntries(a, 1, 3, epoch: 1);
            a.Sync();
        }

        File.WriteAllBytes(Path.Combine(LogDirectory("a"), "checkpoint"), EntryLogFormat.FormatCheckpointFile(new EntryLogCheckpoint(9, 1, Bytes("s9"))));

        using var reopened = OpenJournal();
        var error = Assert.Throws<LogCorruptedException>(() => reopened.OpenLog(1, LogDirectory("a")));
        Assert.Contains("synced entries were lost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenLog_ACheckpointBelowWhereTheJournalResetTheLogWithNoEntryAfter_IsCorruption()
    {
        var older = new EntryLogCheckpoint(3, 1, Bytes("s3"));
        using (var journal = OpenJournal())
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        {
            AppendEntries(a, 1, 5, epoch: 1);
            a.Sync();
            a.WriteCheckpoint(older);
            a.PersistEpoch(2);
            a.InstallCheckpoint(new EntryLogCheckpoint(30, 2, Bytes("s30")));
        }

        // Damage: the checkpoint file rolled back past the install, whose reset record says the log continues after LSN 30.
        File.WriteAllBytes(Path.Combine(LogDirectory("a"), "checkpoint"), EntryLogFormat.FormatCheckpointFile(older));

        using var reopened = OpenJournal();
        var error = Assert.Throws<LogCorruptedException>(() => reopened.OpenLog(1, LogDirectory("a")));
        Assert.Contains("entries 4..30 are missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenLog_ADirectoryOfAPerLogEntryLog_IsRefusedWithoutChangingIt()
    {
        using (var own = EntryLog.Open(new EntryLogOptions { Directory = LogDirectory("a") }))
        {
            own.Append(Entry(1, 1, "own"));
            own.Sync();
        }

        using var journal = OpenJournal();
        Assert.Throws<EntryLogLayoutException>(() => journal.OpenLog(1, LogDirectory("a")));
        using var again = EntryLog.Open(new EntryLogOptions { Directory = LogDirectory("a") });
        Assert.Equal(1, again.EndLsn);
    }

    [Fact]
    public void EntryLogOpen_ADirectoryOfAJournaledLog_IsRefusedWithoutChangingIt()
    {
        using (var journal = OpenJournal())
        using (var a = journal.OpenLog(1, LogDirectory("a")))
        {
            a.PersistEpoch(3);
        }

        var error = Assert.Throws<EntryLogLayoutException>(() => EntryLog.Open(new EntryLogOptions { Directory = LogDirectory("a") }));
        Assert.Contains("entry journal", error.Message, StringComparison.Ordinal);
        using var reopened = OpenJournal();
        using var again = reopened.OpenLog(1, LogDirectory("a"));
        Assert.Equal(3, again.EnteredEpoch);
    }

    [Fact]
    public void OpenLog_TheSameIdTwice_IsRefusedUntilTheFirstIsClosed()
    {
        using var journal = OpenJournal();
        var first = journal.OpenLog(1, LogDirectory("a"));
        first.Append(Entry(1, 1, "a"));
        first.Sync();

        Assert.Throws<InvalidOperationException>(() => journal.OpenLog(1, LogDirectory("other")));
        first.Dispose();
        using var second = journal.OpenLog(1, LogDirectory("a"));
        Assert.Equal(1, second.EndLsn);
        Assert.Equal("a-1", Text(second.Read(1, 1)[0].Payload));
    }

    [Fact]
    public void Append_OutOfSequence_IsRefusedAndNothingIsWritten()
    {
        using var journal = OpenJournal();
        using var a = journal.OpenLog(1, LogDirectory("a"));
        AppendEntries(a, 1, 3, epoch: 2);

        Assert.Throws<EntrySequenceException>(() => a.Append(Entry(5, 2, "a")));
        Assert.Throws<EntrySequenceException>(() => a.Append(Entry(4, 1, "a")));
        Assert.Equal(3, a.EndLsn);
        Assert.Equal(3, journal.RecordsAppended);
    }

    [Fact]
    public void Options_Invalid_AreRefusedNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EntryJournal.Open(new EntryJournalOptions { Directory = JournalDirectory, ZeroFillAheadBytes = -1 }));
        Assert.Contains(nameof(EntryJournalOptions.ZeroFillAheadBytes), error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => EntryJournal.Open(new EntryJournalOptions()));
    }

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private EntryJournal OpenJournal(Action<EntryJournalOptions>? configure = null)
    {
        var options = new EntryJournalOptions { Directory = JournalDirectory, SegmentSizeBytes = SmallSegmentBytes };
        configure?.Invoke(options);
        return EntryJournal.Open(options);
    }

    private string LogDirectory(string name) => Path.Combine(Dir.Path, "logs", name);

    private static void AppendEntries(JournaledEntryLog log, long firstLsn, int count, long epoch)
        => log.Append(Enumerable.Range(0, count).Select(i => Entry(firstLsn + i, epoch, "a")).ToArray());

    private static LoggedEntry Entry(long lsn, long epoch, string prefix) => new(lsn, epoch, Bytes($"{prefix}-{lsn}"));

    private static int RecordBytes(string payload) => 32 + System.Text.Encoding.UTF8.GetByteCount(payload);
}
