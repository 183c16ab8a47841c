using Actors.Wal.IO;

namespace Actors.Wal.Entries.Journal;

/// <summary>
/// An entry log whose entries are records of an <see cref="EntryJournal"/> shared with other logs, and whose entered
/// epoch and checkpoint are files of its own directory (the layout of <see cref="EntryLog"/>'s). Same contract as
/// <see cref="EntryLog"/> (<see cref="IEntryLog"/>), except that a sync is the journal's group commit:
/// <see cref="RequestSync"/> returns at once and completes when a journal fsync covered this log's records.
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
    private readonly IFileSystem _fileSystem;
    private readonly IDisposable _directoryLock;
    private readonly JournalLogIndex _index;
    private readonly int _maxEntryBytes;
    private EntryLogCheckpoint _checkpoint;
    private long _installs;
    private long _truncations;
    private LogFailedException? _failure;
    private bool _disposed;

    private JournaledEntryLog(
        EntryJournal journal, IFileSystem fileSystem, string directory, IDisposable directoryLock, JournalLogIndex index, EntryLogCheckpoint checkpoint, long enteredEpoch, int maxEntryBytes)
    {
        _journal = journal;
        _fileSystem = fileSystem;
        Directory = directory;
        _directoryLock = directoryLock;
        _index = index;
        _checkpoint = checkpoint;
        _maxEntryBytes = maxEntryBytes;
        EnteredEpoch = enteredEpoch;
        DurableLsn = EndLsn;
    }

    /// <inheritdoc />
    public string Directory { get; }

    /// <summary>The log's id in its journal.</summary>
    public int LogId => _index.LogId;

    /// <inheritdoc />
    public long EndLsn => _index.EndLsn;

    /// <inheritdoc />
    public long StartLsn => _checkpoint.Lsn;

    /// <inheritdoc />
    public EntryLogCheckpoint Checkpoint => _checkpoint;

    /// <inheritdoc />
    public long DurableLsn { get; private set; }

    /// <inheritdoc />
    public long LastEpoch => _index.Count > 0 && _index.EndLsn > StartLsn ? _index.LastEpoch!.Value : _checkpoint.Epoch;

    /// <inheritdoc />
    public long EnteredEpoch { get; private set; }

    /// <summary>0: torn bytes are cut from the shared journal (<see cref="EntryJournal.TornBytesCutAtOpen"/>).</summary>
    public long TornBytesCutAtOpen => 0;

    /// <inheritdoc />
    public long EpochAt(long lsn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lsn, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lsn, EndLsn);
        if (lsn < StartLsn)
        {
            throw new EntriesCheckpointedException(Directory, "read the epoch", lsn, StartLsn);
        }

        return lsn == StartLsn ? _checkpoint.Epoch : _index.EpochAt(lsn);
    }

    /// <summary>Appends one entry at <paramref name="entry"/>.Lsn, which must be <see cref="EndLsn"/> + 1 (not synced).</summary>
    public void Append(LoggedEntry entry) => Append([entry]);

    /// <inheritdoc />
    public void Append(IReadOnlyList<LoggedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ThrowIfUnusable();
        EntryLogRules.ValidateSequence(this, _maxEntryBytes, nameof(EntryJournalOptions.MaxEntryBytes), entries);
        Guard(() => _journal.AppendEntries(_index, entries));
    }

    /// <inheritdoc />
    public EntryLogSync RequestSync()
    {
        ThrowIfUnusable();
        return new EntryLogSync(EndLsn, _truncations, _journal.WaitDurableAsync(_index.LastPosition));
    }

    /// <inheritdoc />
    public void CompleteSync(EntryLogSync sync)
    {
        ArgumentNullException.ThrowIfNull(sync);
        if (!sync.Completion.IsCompleted)
        {
            throw new InvalidOperationException($"Entry log '{Directory}': the sync to LSN {sync.Lsn} has not completed.");
        }

        ThrowIfUnusable();
        if (sync.Completion.Exception?.InnerException is { } failure)
        {
            _failure = failure as LogFailedException ?? new LogFailedException(Directory, "fsync (journal)", failure);
            throw _failure;
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
        EntryLogRules.CheckTruncation(this, lsn);
        ThrowIfUnusable();
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
        ArgumentOutOfRangeException.ThrowIfLessThan(fromLsn, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (fromLsn <= StartLsn)
        {
            throw new EntriesCheckpointedException(Directory, "read", fromLsn, StartLsn);
        }

        var result = new List<LoggedEntry>();
        for (var lsn = fromLsn; lsn <= EndLsn && result.Count < maxCount; lsn++)
        {
            result.Add(_journal.ReadEntry(_index.LocationOf(lsn), lsn));
        }

        return result;
    }

    /// <inheritdoc />
    public void PersistEpoch(long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, EnteredEpoch);
        ThrowIfUnusable();
        var data = EntryLogFormat.FormatEpochFile(epoch);
        GuardFile("persist epoch", () => DurableFile.Replace(_fileSystem, Directory, EntryLogFormat.EpochFileName, EntryLogFormat.EpochTempFileName, data));
        EnteredEpoch = epoch;
    }

    /// <inheritdoc cref="EntryLog.WriteCheckpoint"/>
    public void WriteCheckpoint(EntryLogCheckpoint checkpoint)
    {
        var pending = BeginCheckpoint(checkpoint);
        pending.Write();
        CompleteCheckpoint(pending);
    }

    /// <inheritdoc cref="EntryLog.BeginCheckpoint"/>
    public PendingEntryLogCheckpoint BeginCheckpoint(EntryLogCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ThrowIfUnusable();
        return EntryLogRules.BeginCheckpoint(_fileSystem, this, checkpoint, _installs);
    }

    /// <inheritdoc cref="EntryLog.CompleteCheckpoint"/>
    public void CompleteCheckpoint(PendingEntryLogCheckpoint pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        EntryLogRules.CheckWritten(pending, Directory);
        ThrowIfUnusable();
        if (pending.Failure is { } failure)
        {
            _failure = new LogFailedException(Directory, "write checkpoint", failure);
            throw _failure;
        }

        if (pending.InstallsAtBegin == _installs)
        {
            _checkpoint = pending.Checkpoint;
        }
    }

    /// <summary>
    /// Forgets the entries up to <paramref name="lsn"/>, which the durable checkpoint covers, and deletes every journal
    /// segment no log needs any more (oldest first, each deletion synced).
    /// </summary>
    /// <returns>The number of journal segments deleted (by this call, for every log).</returns>
    /// <exception cref="CheckpointNotDurableException"><paramref name="lsn"/> is above the durable checkpoint's LSN; nothing was deleted.</exception>
    public int DeletePrefix(long lsn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lsn);
        ThrowIfUnusable();
        if (lsn > StartLsn)
        {
            throw new CheckpointNotDurableException(Directory, lsn, StartLsn);
        }

        return Guard(() => _journal.DropThroughAndDeleteObsolete(_index, Math.Min(lsn, EndLsn)));
    }

    /// <inheritdoc cref="EntryLog.InstallCheckpoint"/>
    public void InstallCheckpoint(EntryLogCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ThrowIfUnusable();
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpoint.Lsn, Math.Max(1, StartLsn), nameof(checkpoint));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(checkpoint.Epoch, EnteredEpoch, nameof(checkpoint));
        var data = EntryLogFormat.FormatCheckpointFile(checkpoint);
        GuardFile("install checkpoint (write)", () => DurableFile.Replace(
            _fileSystem, Directory, EntryLogFormat.InstallFileName, EntryLogFormat.InstallTempFileName, data));

        // Committed: from here on the new checkpoint is in force (opening would finish what follows).
        _checkpoint = checkpoint with { State = checkpoint.State.ToArray() };
        _installs++;
        _truncations++;
        FinishInstall(_checkpoint);
    }

    /// <summary>Releases the log (its index stays in the journal for a later open) and the directory lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _journal.Detach(_index.LogId);
        _directoryLock.Dispose();
    }

    internal static JournaledEntryLog Open(EntryJournal journal, IFileSystem fileSystem, int logId, string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        fileSystem.CreateDirectory(directory);
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

            var enteredEpoch = EntryLog.ReadEnteredEpoch(fileSystem, directory);
            index = journal.Attach(logId);
            fileSystem.DeleteFile(Path.Combine(directory, EntryLogFormat.CheckpointTempFileName));
            fileSystem.DeleteFile(Path.Combine(directory, EntryLogFormat.InstallTempFileName));
            var installPath = Path.Combine(directory, EntryLogFormat.InstallFileName);
            var checkpointPath = Path.Combine(directory, EntryLogFormat.CheckpointFileName);
            var log = new JournaledEntryLog(journal, fileSystem, directory, directoryLock, index, EntryLogCheckpoint.None, enteredEpoch, journal.MaxEntryBytes);
            if (fileSystem.FileExists(installPath))
            {
                var installed = EntryLog.ReadCheckpointFile(fileSystem, installPath);
                log._checkpoint = installed;
                log.FinishInstall(installed);
            }
            else
            {
                var checkpoint = fileSystem.FileExists(checkpointPath) ? EntryLog.ReadCheckpointFile(fileSystem, checkpointPath) : EntryLogCheckpoint.None;
                CheckCheckpointCovered(checkpointPath, index, checkpoint);
                log._checkpoint = checkpoint;
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
        GuardFile("install checkpoint (finish)", () =>
        {
            _fileSystem.RenameFile(Path.Combine(Directory, EntryLogFormat.InstallFileName), Path.Combine(Directory, EntryLogFormat.CheckpointFileName));
            _fileSystem.SyncDirectory(Directory);
        });
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null)
        {
            throw _failure;
        }
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
            _failure = exception;
            throw;
        }
    }

    private void Guard(Action action) => Guard(() =>
    {
        action();
        return 0;
    });

    private void GuardFile(string operation, Action action)
    {
        try
        {
            action();
        }
        catch (IOException exception)
        {
            _failure = new LogFailedException(Directory, operation, exception);
            throw _failure;
        }
    }
}
