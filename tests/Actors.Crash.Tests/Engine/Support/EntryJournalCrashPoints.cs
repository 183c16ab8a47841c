using Actors.Wal;
using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// What the <see cref="EntryJournal"/> crash-point tests share: one journal on the simulated disk (directory fsyncs per
/// directory) with small segments and three logs of their own ids and directories, and the recovery of one crash image:
/// open the journal and every log, inspect each, append one entry to each, sync, reopen, and find each log as it was
/// with its new entry kept. The walk over boundaries and variants is <see cref="EntryLogCrashPoints.CheckEveryDistinctState"/>.
/// </summary>
internal static class EntryJournalCrashPoints
{
    /// <summary>The journal directory on the simulated disk.</summary>
    public const string JournalDirectory = "/simulated/journal";

    /// <summary>The logs of the journal: ids far apart, each with its own directory (epoch and checkpoint files).</summary>
    public static IReadOnlyList<(int Id, string Directory)> Logs { get; } =
        [(1, "/simulated/logs/a"), (7, "/simulated/logs/b"), (1000, "/simulated/logs/c")];

    /// <summary>
    /// Segments of five 48-byte records (entries of 8 to 23 payload bytes: four to six), so the workloads cross many
    /// segment boundaries; <paramref name="maxBufferedBytes"/> 1 makes every append write its records at once.
    /// </summary>
    public static EntryJournalOptions Options(long zeroFillAheadBytes, int maxBufferedBytes) => new()
    {
        Directory = JournalDirectory,
        SegmentSizeBytes = 32 + (5 * 48),
        ZeroFillAheadBytes = zeroFillAheadBytes,
        MaxBufferedBytes = maxBufferedBytes,
    };

    /// <summary>A file system over <paramref name="disk"/> where a directory fsync covers only that directory (the journal's and each log's are separate).</summary>
    public static CrashFileSystem FileSystem(SimulatedDisk disk) => new(disk) { PerDirectorySync = true };

    /// <summary>The name of the newest journal segment on <paramref name="disk"/> (the one appends go to), or null before the first.</summary>
    public static string? NewestSegment(SimulatedDisk disk)
        => disk.Names()
            .Where(n => string.Equals(Path.GetDirectoryName(n), JournalDirectory, StringComparison.Ordinal) && n.EndsWith(EntryJournalFormat.SegmentSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .LastOrDefault();

    /// <summary>
    /// Opens the journal on <paramref name="image"/> and every log (in <see cref="Logs"/> order rotated by
    /// <paramref name="rotation"/>: a log's open may delete segments, so each order is its own test), runs
    /// <paramref name="inspect"/> on each log once all are open, then appends one entry to each, syncs each, closes
    /// everything and reopens: null when all of it holds (each log reopens with the same checkpoint and entries and its
    /// new entry last), else what failed. An exception from recovery, the inspection or the append is a failure.
    /// </summary>
    public static string? RecoverInspectAndAppend(
        Dictionary<string, byte[]> image, EntryJournalOptions options, int rotation, Func<int, JournaledEntryLog, string?> inspect)
    {
        var fileSystem = FileSystem(SimulatedDisk.FromImage(image, recording: true));
        var order = Enumerable.Range(0, Logs.Count).Select(i => (i + rotation) % Logs.Count).ToArray();
        var expected = new Snapshot[Logs.Count];
        var stage = "recovery";
        try
        {
            using (var journal = EntryJournal.Open(options, fileSystem))
            {
                var logs = new JournaledEntryLog[Logs.Count];
                try
                {
                    foreach (var i in order)
                    {
                        logs[i] = journal.OpenLog(Logs[i].Id, Logs[i].Directory);
                    }

                    foreach (var i in order)
                    {
                        stage = $"the inspection of log {Logs[i].Id}";
                        if (inspect(i, logs[i]) is { } failure)
                        {
                            return $"log {Logs[i].Id}: {failure}";
                        }
                    }

                    foreach (var i in order)
                    {
                        stage = $"the append to log {Logs[i].Id} after recovery";
                        var log = logs[i];
                        log.Append(new LoggedEntry(log.EndLsn + 1, Math.Max(log.LastEpoch, log.EnteredEpoch), new byte[] { 7, (byte)i }));
                        log.Sync();
                        expected[i] = Snapshot.Of(log);
                    }
                }
                finally
                {
                    foreach (var log in logs)
                    {
                        log?.Dispose();
                    }
                }
            }

            stage = "the reopen after the append";
            using var again = EntryJournal.Open(options, fileSystem);
            foreach (var i in order)
            {
                stage = $"the reopen of log {Logs[i].Id} after the append";
                using var log = again.OpenLog(Logs[i].Id, Logs[i].Directory);
                if (Snapshot.Of(log).Differs(expected[i]) is { } difference)
                {
                    return $"log {Logs[i].Id} after the post-crash append and a reopen: {difference}";
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is WalException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return $"{stage} threw {exception.GetType().Name}: {exception.Message}";
        }
    }

    /// <summary>What a log holds: its checkpoint and every entry after it.</summary>
    private sealed record Snapshot(EntryLogCheckpoint Checkpoint, IReadOnlyList<LoggedEntry> Entries)
    {
        public static Snapshot Of(JournaledEntryLog log)
            => new(log.Checkpoint, log.EndLsn > log.StartLsn ? log.Read(log.StartLsn + 1, int.MaxValue) : []);

        public string? Differs(Snapshot expected)
        {
            if (Checkpoint.Lsn != expected.Checkpoint.Lsn || Checkpoint.Epoch != expected.Checkpoint.Epoch
                || !Checkpoint.State.Span.SequenceEqual(expected.Checkpoint.State.Span))
            {
                return $"checkpoint at LSN {Checkpoint.Lsn} (epoch {Checkpoint.Epoch}), expected LSN {expected.Checkpoint.Lsn} (epoch {expected.Checkpoint.Epoch})";
            }

            var end = Checkpoint.Lsn + Entries.Count;
            var expectedEnd = expected.Checkpoint.Lsn + expected.Entries.Count;
            if (end != expectedEnd)
            {
                return $"ends at LSN {end}, expected {expectedEnd} (the entry appended after recovery was lost, or others came back)";
            }

            for (var k = 0; k < Entries.Count; k++)
            {
                var (got, want) = (Entries[k], expected.Entries[k]);
                if (got.Lsn != want.Lsn || got.Epoch != want.Epoch || !got.Payload.Span.SequenceEqual(want.Payload.Span))
                {
                    return $"entry {want.Lsn} changed (epoch {got.Epoch}, expected {want.Epoch})";
                }
            }

            return null;
        }
    }
}
