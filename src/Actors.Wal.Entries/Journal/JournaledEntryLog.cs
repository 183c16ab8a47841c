using Actors.Wal.IO;

namespace Actors.Wal.Entries.Journal;

/// <summary>
/// An entry log whose entries are records of an <see cref="EntryJournal"/> shared with other logs, and whose entered
/// epoch and checkpoint are files of its own directory (the layout of <see cref="EntryLog"/>'s). Same contract as
/// <see cref="EntryLog"/> (<see cref="IEntryLog"/>), except that a sync is the journal's group commit:
/// <see cref="RequestSync()"/> returns at once and completes when a journal fsync covered this log's records.
/// </summary>
/// <remarks>
/// <para>Truncations and installs are records too, synced before the call returns. An install is made atomic by its
/// file: (1) "checkpoint.install" is written atomically in the log's directory (the commit point), (2) a reset record is
/// appended to the journal and synced, (3) the install file is renamed over "checkpoint". Opening a log whose directory
/// holds an install file finishes it: every record of the log before it is obsolete (none after it can exist, as the
/// install returns only after step 3), so the log is the install's checkpoint with no entry.</para>
/// <para>Opening: the journal's records give the log's entries; its checkpoint must lie within or at the end of them
/// (entries below it may be gone with deleted segments), and they must not start beyond it + 1; otherwise synced
/// entries were lost: <see cref="LogCorruptedException"/>. Everything the log holds is durable when it opens.</para>
/// <para>Not thread-safe: one owner calls it. One instance per directory (a lock file) and per log id.</para>
/// </remarks>
public sealed class JournaledEntryLog : IEntryLog
{
    private readonly EntryJournal _journal;
    private readonly IDisposable _directoryLock;
    private readonly JournalLogIndex _index;
    private readonly int _maxEntryBytes;
    private readonly LogUsability _usability;
    private readonly EnteredEpochFile _enteredEpoch;
    private readonly CheckpointFiles _checkpoints;
    private long _truncations;

    private JournaledEntryLog(
        EntryJournal journal, IFileSystem fileSystem, string directory, IDisposable directoryLock, JournalLogIndex index, EntryLogCheckpoint checkpoint, long enteredEpoch)
    {
        _journal = journal;
        Directory = directory;
        _directoryLock = directoryLock;
        _index = index;
        _maxEntryBytes = journal.MaxEntryBytes;
        _usability = new LogUsability(directory, typeof(JournaledEntryLog));
        _enteredEpoch = new EnteredEpochFile(fileSystem, directory, _usability, enteredEpoch);
        _checkpoints = new CheckpointFiles(fileSystem, directory, _usability, checkpoint);
        DurableLsn = EndLsn;
    }

    /// <inheritdoc />
    public string Directory { get; }

    /// <summary>The log's id in its journal.</summary>
    public int LogId => _index.LogId;

    /// <inheritdoc />
    public long EndLsn => _index.EndLsn;

    /// <inheritdoc />
    public long StartLsn => _checkpoints.InForce.Lsn;

    /// <inheritdoc />
    public EntryLogCheckpoint Checkpoint => _checkpoints.InForce;

    /// <inheritdoc />
    public long DurableLsn { get; private set; }

    /// <inheritdoc />
    public long LastEpoch => _index.Count > 0 && _index.EndLsn > StartLsn ? _index.LastEpoch!.Value : Checkpoint.Epoch;

    /// <inheritdoc />
    public long EnteredEpoch => _enteredEpoch.Epoch;

    /// <summary>0: torn bytes are cut from the shared journal (<see cref="EntryJournal.TornBytesCutAtOpen"/>).</summary>
    public long TornBytesCutAtOpen => 0;

    /// <inheritdoc />
    public long EpochAt(long lsn)
    {
        EntryLogRules.CheckEpochAt(this, lsn);
        return lsn == StartLsn ? Checkpoint.Epoch : _index.EpochAt(lsn);
    }

    /// <summary>Appends one entry at <paramref name="entry"/>.Lsn, which must be <see cref="EndLsn"/> + 1 (not synced).</summary>
    public void Append(LoggedEntry entry) => Append([entry]);

    /// <inheritdoc />
    public void Append(IReadOnlyList<LoggedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _usability.ThrowIfUnusable();
        EntryLogRules.ValidateSequence(this, _maxEntryBytes, nameof(EntryJournalOptions.MaxEntryBytes), entries);
        Guard(() => _journal.AppendEntries(_index, entries));
    }

    /// <inheritdoc />
    public EntryLogSync RequestSync()
    {
        _usability.ThrowIfUnusable();
        return new EntryLogSync(EndLsn, _truncations, _journal.WaitDurableAsync(_index.LastPosition));
    }

    /// <inheritdoc />
    public EntryLogSync RequestSync(Action<object?> whenComplete, object? state)
    {
        ArgumentNullException.ThrowIfNull(whenComplete);
        _usability.ThrowIfUnusable();
        return new EntryLogSync(EndLsn, _truncations, _journal.WaitDurableAsync(_index.LastPosition, whenComplete, state));
    }

    /// <inheritdoc />
    public void CompleteSync(EntryLogSync sync)
    {
        ArgumentNullException.ThrowIfNull(sync);
        if (!sync.Completion.IsCompleted)
        {
            throw new InvalidOperationException($"Entry log '{Directory}': the sync to LSN {sync.Lsn} has not completed.");
        }

        _usability.ThrowIfUnusable();
        if (sync.Completion.Exception?.InnerException is { } failure)
        {
            throw _usability.Fail(failure as LogFailedException ?? new LogFailedException(Directory, "fsync (journal)", failure));
        }

        if (sync.Truncations == _truncations)
        {
            DurableLsn = Math.Max(DurableLsn, Math.Min(sync.Lsn, EndLsn));
        }
    }

    /// <inheritdoc />
    public void Sync()
    {
        var sync = RequestSync();
        try
        {
            sync.Completion.Wait();
        }
        catch (AggregateException)
        {
            // CompleteSync fails the log with it.
        }

        CompleteSync(sync);
    }

    /// <inheritdoc />
    public void TruncateAfter(long lsn)
    {
        EntryLogRules.CheckTruncation(this, lsn, _usability);
        if (lsn == EndLsn)
        {
            Sync();
            return;
        }

        Guard(() => _journal.AppendTruncate(_index, lsn));
        _truncations++;
        DurableLsn = Math.Min(DurableLsn, lsn);
        Sync();
        DurableLsn = lsn;
    }

    /// <inheritdoc />
    public IReadOnlyList<LoggedEntry> Read(long fromLsn, int maxCount)
    {
        EntryLogRules.CheckRead(this, fromLsn, maxCount, _usability);
        var result = new List<LoggedEntry>();
        for (var lsn = fromLsn; lsn <= EndLsn && result.Count < maxCount; lsn++)
        {
            result.Add(_journal.ReadEntry(_index.LocationOf(lsn), lsn));
        }

        return result;
    }

    /// <inheritdoc />
    public void PersistEpoch(long epoch) => _enteredEpoch.Persist(epoch);

    /// <inheritdoc cref="EntryLog.WriteCheckpoint"/>
    public void WriteCheckpoint(EntryLogCheckpoint checkpoint) => _checkpoints.Write(this, checkpoint);

    /// <inheritdoc cref="EntryLog.BeginCheckpoint"/>
    public PendingEntryLogCheckpoint BeginCheckpoint(EntryLogCheckpoint checkpoint) => _checkpoints.Begin(this, checkpoint);

    /// <inheritdoc cref="EntryLog.CompleteCheckpoint"/>
    public void CompleteCheckpoint(PendingEntryLogCheckpoint pending) => _checkpoints.Complete(pending);

    /// <summary>
    /// Forgets the entries up to <paramref name="lsn"/>, which the durable checkpoint covers, and deletes every journal
    /// segment no log needs any more (oldest first, each deletion synced).
    /// </summary>
    /// <returns>The number of journal segments deleted (by this call, for every log).</returns>
    /// <exception cref="CheckpointNotDurableException"><paramref name="lsn"/> is above the durable checkpoint's LSN; nothing was deleted.</exception>
    public int DeletePrefix(long lsn)
    {
        _checkpoints.CheckCovers(lsn);
        return Guard(() => _journal.DropThroughAndDeleteObsolete(_index, Math.Min(lsn, EndLsn)));
    }

    /// <inheritdoc cref="EntryLog.InstallCheckpoint"/>
    public void InstallCheckpoint(EntryLogCheckpoint checkpoint)
    {
        var installed = _checkpoints.CommitInstall(checkpoint, EnteredEpoch);

        // Committed: from here on the new checkpoint is in force (opening would finish what follows).
        _truncations++;
        FinishInstall(installed);
    }

    /// <summary>Releases the log (its index stays in the journal for a later open) and the directory lock.</summary>
    public void Dispose()
    {
        if (!_usability.TryMarkDisposed())
        {
            return;
        }

        _journal.Detach(_index.LogId);
        _directoryLock.Dispose();
    }

    internal static JournaledEntryLog Open(EntryJournal journal, IFileSystem fileSystem, int logId, string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        DurableFile.CreateDirectory(fileSystem, directory);
        if (fileSystem.ListFiles(directory, EntryLogFormat.SegmentSuffix).Count > 0)
        {
            throw new EntryLogLayoutException(directory, $"it holds segments ({EntryLogFormat.SegmentSuffix}) of a log with files of its own, not of the journal in '{journal.Directory}'");
        }

        var directoryLock = EntryLogRules.LockDirectory(fileSystem, directory, EntryLogFormat.LockFileName);

        JournalLogIndex? index = null;
        try
        {
            var marker = Path.Combine(directory, EntryLogFormat.JournaledMarkerFileName);
            if (!fileSystem.FileExists(marker))
            {
                // Before the log's first record: an EntryLog opened on this directory later refuses it.
                DurableFile.Replace(fileSystem, directory, EntryLogFormat.JournaledMarkerFileName, EntryLogFormat.JournaledMarkerFileName + ".tmp", []);
            }

            var enteredEpoch = EnteredEpochFile.Read(fileSystem, directory);
            index = journal.Attach(logId);
            var (checkpoint, installPending) = CheckpointFiles.Recover(fileSystem, directory);
            if (!installPending)
            {
                CheckCheckpointCovered(Path.Combine(directory, EntryLogFormat.CheckpointFileName), index, checkpoint);
            }

            var log = new JournaledEntryLog(journal, fileSystem, directory, directoryLock, index, checkpoint, enteredEpoch);
            if (installPending)
            {
                log.FinishInstall(checkpoint);
            }
            else
            {
                journal.DropThroughAndDeleteObsolete(index, checkpoint.Lsn);

                // Entries a previous owner of the log appended may not be synced yet: the log opens with all it holds durable.
                log.Sync();
            }

            log.DurableLsn = log.EndLsn;
            return log;
        }
        catch
        {
            if (index is not null)
            {
                journal.Detach(logId);
            }

            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The journal's entries of the log reach its checkpoint, agree with its epoch there, and do not start beyond it + 1;
    /// nor, when the journal holds no entry of the log, does it continue beyond the checkpoint (a reset or truncation
    /// record after it, whose entries are gone).
    /// </summary>
    private static void CheckCheckpointCovered(string checkpointPath, JournalLogIndex index, EntryLogCheckpoint checkpoint)
    {
        if (!index.Touched)
        {
            return;
        }

        if (index.EndLsn < checkpoint.Lsn)
        {
            throw new LogCorruptedException(
                checkpointPath, 0, $"the checkpoint covers entries up to LSN {checkpoint.Lsn} but the journal holds log {index.LogId} only up to LSN {index.EndLsn}: synced entries were lost");
        }

        if (index.BaseLsn > checkpoint.Lsn)
        {
            throw new LogCorruptedException(
                checkpointPath, 0, $"the checkpoint covers entries up to LSN {checkpoint.Lsn} but the journal holds log {index.LogId} only from LSN {index.BaseLsn + 1}: entries {checkpoint.Lsn + 1}..{index.BaseLsn} are missing");
        }

        if (checkpoint.Lsn > index.BaseLsn && index.EpochAt(checkpoint.Lsn) is var epoch && epoch != checkpoint.Epoch)
        {
            throw new LogCorruptedException(
                checkpointPath, 0, $"the checkpoint at LSN {checkpoint.Lsn} names epoch {checkpoint.Epoch} but the journal holds epoch {epoch} there");
        }
    }

    /// <summary>Steps (2) and (3) of an install: the reset record, synced, then the install file renamed over the checkpoint file.</summary>
    private void FinishInstall(EntryLogCheckpoint checkpoint)
    {
        Guard(() => _journal.AppendReset(_index, checkpoint.Lsn, checkpoint.Epoch));
        Sync();
        DurableLsn = checkpoint.Lsn;
        _checkpoints.FinishInstall();
    }

    /// <summary>Runs a journal call; the journal's failure fails this log.</summary>
    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (LogFailedException exception)
        {
            _usability.Fail(exception);
            throw;
        }
    }

    private void Guard(Action action) => Guard(() =>
    {
        action();
        return 0;
    });
}
