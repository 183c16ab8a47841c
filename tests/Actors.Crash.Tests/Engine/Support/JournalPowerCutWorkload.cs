using Actors.Wal;
using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;
using Actors.Wal.IO;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// A seeded run on one <see cref="EntryJournal"/> shaped as a silo's (one journal directory, each replica's log in a
/// directory of its own), recorded on a simulated disk: three owners, one per log, run at once, each appending entries
/// and requesting syncs that it does not wait for (acknowledged by the journal's callback, as <c>ReplicaHost</c> is),
/// writing checkpoints and deleting the prefix they cover (segment reclamation), installing checkpoints, persisting
/// entered epochs, truncating, and restarting its log (closed, opened again and cut after the entry it knew synced, as
/// <c>ReplicaRestart.CutLog</c> does); between phases the whole journal closes with unsynced records and every log
/// restarts on the reopened one. Small segments make it roll over and reclaim often.
/// </summary>
internal sealed class JournalPowerCutWorkload
{
    /// <summary>The silo's data directory: it exists, durably, before the run (the engine creates what is below it).</summary>
    public const string DataDirectory = "/simulated/silo";

    /// <summary>The journal's directory (as a silo's: under its replicas' directory).</summary>
    public const string JournalDirectory = DataDirectory + "/replicas/journal";

    private const int Phases = 3;
    private readonly EntryJournalOptions _options;
    private readonly SimulatedDisk _disk;
    private readonly IFileSystem _fileSystem;
    private readonly int _stepsPerPhase;
    private readonly Random[] _randoms;
    private readonly long[] _durableAtClose;
    private long _payloads;
    private int _checkpoints;
    private int _deletions;
    private int _installs;
    private int _truncations;
    private int _restartCuts;
    private int _epochs;

    private JournalPowerCutWorkload(int seed, EntryJournalOptions options, SimulatedDisk disk, IFileSystem fileSystem, int stepsPerPhase)
    {
        _options = options;
        _disk = disk;
        _fileSystem = fileSystem;
        _stepsPerPhase = stepsPerPhase;
        _randoms = Logs.Select((_, i) => new Random((seed * 31) + i)).ToArray();
        _durableAtClose = new long[Logs.Count];
        Histories = Logs.Select(l => new JournalLogHistory(l.Id, l.Directory)).ToArray();
    }

    /// <summary>The logs: replica ids of partitions, each in its own directory beside the journal's.</summary>
    public static IReadOnlyList<(int Id, string Directory)> Logs { get; } =
        [(3, "/simulated/silo/replicas/00003/entries"), (17, "/simulated/silo/replicas/00017/entries"), (40, "/simulated/silo/replicas/00040/entries")];

    public IReadOnlyList<JournalLogHistory> Histories { get; }

    /// <summary>Syncs the journal acknowledged through the callback.</summary>
    public int CallbackAcks { get; private set; }

    public string Summary => $"{CallbackAcks} syncs acknowledged by callback, {_checkpoints} checkpoints, {_deletions} prefix deletions, {_installs} installs, "
        + $"{_truncations} truncations, {_restartCuts} cuts after a restart, {_epochs} epochs persisted";

    /// <summary>Whether the run did each thing the test is about at least once.</summary>
    public bool CoveredEverything => _checkpoints > 0 && _deletions > 0 && _installs > 0 && _truncations > 0 && _restartCuts > 0 && _epochs > 0 && CallbackAcks > 0;

    /// <summary>
    /// A simulated file system over <paramref name="disk"/> where a directory fsync covers only that directory, and a new
    /// directory is a name in its parent, lost with everything in it when the parent was not synced.
    /// </summary>
    public static CrashFileSystem FileSystem(SimulatedDisk disk) => new(disk) { PerDirectorySync = true, TrackDirectories = true };

    /// <summary>Creates <see cref="DataDirectory"/> on <paramref name="disk"/>, durably (its ancestors' directories synced).</summary>
    public static void CreateDataDirectory(SimulatedDisk disk)
    {
        disk.CreateDirectory(DataDirectory);
        for (var directory = DataDirectory; Path.GetDirectoryName(directory) is { } parent; directory = parent)
        {
            disk.SyncDirectory(parent);
        }
    }

    /// <summary>Journal segments of about 1 KiB (entries of 8 to 120 bytes): the run rolls over and reclaims segments often.</summary>
    public static EntryJournalOptions Options(int seed) => new()
    {
        Directory = JournalDirectory,
        SegmentSizeBytes = 1024,
        ZeroFillAheadBytes = (seed % 3) switch { 0 => 0, 1 => 256, _ => EntryLogOptions.DefaultZeroFillAheadBytes },
        MaxBufferedBytes = seed % 4 == 3 ? 1 : EntryJournalOptions.DefaultMaxBufferedBytes,
    };

    /// <summary>Runs the workload on <paramref name="fileSystem"/> (over <paramref name="disk"/>, which records every operation).</summary>
    public static async Task<JournalPowerCutWorkload> RunAsync(int seed, EntryJournalOptions options, SimulatedDisk disk, IFileSystem fileSystem, int stepsPerPhase)
    {
        var workload = new JournalPowerCutWorkload(seed, options, disk, fileSystem, stepsPerPhase);
        for (var phase = 0; phase < Phases; phase++)
        {
            using var journal = EntryJournal.Open(options, fileSystem);
            await Task.WhenAll(Enumerable.Range(0, Logs.Count).Select(i => Task.Run(() => workload.OwnAsync(journal, i, phase))));

            // Disposing the journal writes its buffer unsynced and faults the waits still pending: a crash's view.
        }

        workload.CallbackAcks = workload.Histories.Sum(h => h.SealAcks());
        return workload;
    }

    private int Op => _disk.OperationCount;

    /// <summary>One owner's phase on log <paramref name="i"/>: open (cut after what it knew synced), steps, then close with unsynced entries.</summary>
    private async Task OwnAsync(EntryJournal journal, int i, int phase)
    {
        var history = Histories[i];
        var random = _randoms[i];
        var pending = new List<PendingAck>();
        var log = Open(journal, i, phase == 0 ? null : _durableAtClose[i]);
        for (var step = 0; step < _stepsPerPhase; step++)
        {
            var roll = random.Next(100);
            if (roll < 45)
            {
                Append(log, history, random);
                if (random.Next(10) < 7)
                {
                    pending.Add(RequestSync(log, history));
                }
            }
            else if (roll < 58)
            {
                await CompleteSyncsAsync(log, pending, wait: true);
            }
            else if (roll < 67)
            {
                await CompleteSyncsAsync(log, pending, wait: true);
                Checkpoint(log, history, random);
            }
            else if (roll < 72)
            {
                log.DeletePrefix(log.StartLsn);
                Interlocked.Increment(ref _deletions);
            }
            else if (roll < 78)
            {
                Truncate(log, history, Math.Max(log.StartLsn, log.EndLsn - random.Next(6)));
            }
            else if (roll < 83)
            {
                var epoch = history.AddEpoch(log.EnteredEpoch + 1, Op);
                log.PersistEpoch(epoch.Epoch);
                epoch.AckedAtOp = Op;
                Interlocked.Increment(ref _epochs);
            }
            else if (roll < 86)
            {
                Install(log, history, random);
            }
            else if (roll < 92)
            {
                // A replica restarted after a failure: the log closed and opened again, cut after what it knew synced.
                await CompleteSyncsAsync(log, pending, wait: false);
                var durable = log.DurableLsn;
                log.Dispose();
                pending.Clear(); // still tracked by the history: the journal may complete them
                log = Open(journal, i, durable);
            }
            else
            {
                Append(log, history, random);
            }

            if (log.EndLsn != history.ModelEnd)
            {
                throw new InvalidOperationException($"log {history.LogId}: ends at LSN {log.EndLsn}, the model at {history.ModelEnd} (the workload is wrong)");
            }
        }

        // Closing with unsynced entries and syncs pending: the next phase cuts them (or what the close left of them).
        await CompleteSyncsAsync(log, pending, wait: false);
        _durableAtClose[i] = log.DurableLsn;
        Append(log, history, random);
        pending.Add(RequestSync(log, history));
        log.Dispose();
    }

    /// <summary>Opens log <paramref name="i"/> (which syncs all it holds) and cuts it after <paramref name="durable"/>, as <c>ReplicaRestart.CutLog</c> does.</summary>
    private JournaledEntryLog Open(EntryJournal journal, int i, long? durable)
    {
        var history = Histories[i];
        var log = journal.OpenLog(history.LogId, history.Directory);
        history.AckAll(Op);
        if (log.EndLsn != history.ModelEnd)
        {
            throw new InvalidOperationException($"log {history.LogId} reopened ending at LSN {log.EndLsn}, the model at {history.ModelEnd} (nothing crashed)");
        }

        if (durable is { } lsn && log.EndLsn > lsn && lsn >= log.StartLsn)
        {
            Truncate(log, history, lsn);
            Interlocked.Increment(ref _restartCuts);
        }

        return log;
    }

    private void Append(JournaledEntryLog log, JournalLogHistory history, Random random)
    {
        var op = Op;
        var epoch = Math.Max(log.LastEpoch, log.EnteredEpoch);
        var entries = Enumerable.Range(0, random.Next(1, 4)).Select(k => new LoggedEntry(log.EndLsn + 1 + k, epoch, Payload(random, 8, 120))).ToArray();
        foreach (var entry in entries)
        {
            history.Add(new HistoryRecord(HistoryRecordKind.Entry, entry.Lsn, entry.Epoch, entry.Payload.ToArray(), op));
        }

        log.Append(entries);
    }

    private PendingAck RequestSync(JournaledEntryLog log, JournalLogHistory history)
    {
        var ack = new PendingAck(_disk, history.RecordCount);
        history.Track(ack);
        ack.Sync = log.RequestSync(PendingAck.OnComplete, ack);
        return ack;
    }

    /// <summary>Completes the syncs that completed (<paramref name="wait"/>: waits for every one first), as the log's owner must before it relies on <see cref="JournaledEntryLog.DurableLsn"/>.</summary>
    private static async Task CompleteSyncsAsync(JournaledEntryLog log, List<PendingAck> pending, bool wait)
    {
        if (wait)
        {
            await Task.WhenAll(pending.Select(p => p.Sync!.Completion)).WaitAsync(TimeSpan.FromMinutes(2));
        }

        foreach (var ack in pending.Where(p => p.Sync!.Completion.IsCompleted).ToArray())
        {
            log.CompleteSync(ack.Sync!);
            pending.Remove(ack);
        }
    }

    private void Truncate(JournaledEntryLog log, JournalLogHistory history, long lsn)
    {
        if (lsn < log.EndLsn)
        {
            history.Add(new HistoryRecord(HistoryRecordKind.Truncate, lsn, 0, [], Op));
            Interlocked.Increment(ref _truncations);
        }

        log.TruncateAfter(lsn);
        history.AckAll(Op);
    }

    /// <summary>A checkpoint at a synced LSN after the log's start, usually followed by the deletion of the prefix it covers.</summary>
    private void Checkpoint(JournaledEntryLog log, JournalLogHistory history, Random random)
    {
        if (log.DurableLsn <= log.StartLsn)
        {
            return;
        }

        var lsn = random.NextInt64(log.StartLsn + 1, log.DurableLsn + 1);
        var checkpoint = history.AddCheckpoint(new EntryLogCheckpoint(lsn, log.EpochAt(lsn), Payload(random, 16, 64)), null, Op);
        log.WriteCheckpoint(checkpoint.Checkpoint);
        checkpoint.AckedAtOp = Op;
        Interlocked.Increment(ref _checkpoints);
        if (random.Next(10) < 7)
        {
            log.DeletePrefix(lsn);
            Interlocked.Increment(ref _deletions);
        }
    }

    /// <summary>A checkpoint from elsewhere replacing the log a few LSNs around its end (never below its checkpoint).</summary>
    private void Install(JournaledEntryLog log, JournalLogHistory history, Random random)
    {
        var lsn = Math.Max(Math.Max(log.StartLsn, 1), log.EndLsn + random.Next(-3, 5));
        var op = Op;
        var checkpoint = new EntryLogCheckpoint(lsn, log.EnteredEpoch, Payload(random, 16, 64));
        var installed = history.AddCheckpoint(checkpoint, history.RecordCount, op);
        history.Add(new HistoryRecord(HistoryRecordKind.Reset, lsn, checkpoint.Epoch, [], op));
        log.InstallCheckpoint(checkpoint);
        installed.AckedAtOp = Op;
        history.AckAll(Op);
        Interlocked.Increment(ref _installs);
    }

    /// <summary>Random bytes starting with a counter, so no two payloads are equal.</summary>
    private byte[] Payload(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max)];
        random.NextBytes(bytes);
        BitConverter.TryWriteBytes(bytes, Interlocked.Increment(ref _payloads));
        return bytes;
    }
}
