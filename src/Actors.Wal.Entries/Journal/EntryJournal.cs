using Actors.Wal.IO;

namespace Actors.Wal.Entries.Journal;

/// <summary>
/// One group-committed journal shared by many entry logs (<see cref="JournaledEntryLog"/>, opened with
/// <see cref="OpenLog"/>): every log's entries, truncations and checkpoint installs are records in the same segment
/// files, so one fsync makes the recent writes of all of them durable, and a sync never blocks the log that asked for it
/// (<see cref="JournaledEntryLog.RequestSync()"/> completes when a background sync covers its records). Each log's entered
/// epoch and checkpoint stay in files of its own directory. Knows nothing about replication; layout in
/// <see cref="EntryJournalFormat"/>.
/// </summary>
/// <remarks>
/// <para>Group commit: appended records are copied into a buffer; the sync thread writes the buffer to the active segment
/// (zero-filled ahead, as <see cref="EntryLogOptions.ZeroFillAheadBytes"/>) and fsyncs it whenever a log waits for
/// durability, then completes every wait its fsync covered. Records appended during an fsync go in the next one.</para>
/// <para>Crash guarantees: recovery keeps a prefix of the records appended (every synced one; a torn last record is cut),
/// so each log recovers a state it passed through, at least as recent as its last completed sync.</para>
/// <para>Space: a sealed segment is deleted once no log holds an entry in it (<see cref="JournaledEntryLog.DeletePrefix"/>
/// after a checkpoint, truncations, installs, <see cref="ReleaseLog"/> of a log gone for good), nor an entry a truncation
/// removed whose record is not durable yet (a crash before it finds those entries in the log again); oldest first, so
/// recovery never sees a record whose predecessors of the same log it needs are gone. A log that is never checkpointed
/// keeps every segment holding its entries.</para>
/// <para>Errors: an I/O error fails the journal (<see cref="LogFailedException"/>; fsync is never retried): every log on
/// it fails and every wait for durability faults with it, until the journal is reopened.</para>
/// <para>Thread safety: every member may be called from any thread; each log is used by one owner at a time. The
/// journal's collaborators (<see cref="JournalSegmentList"/>, <see cref="JournalLogTable"/>, <see cref="JournalWriteBuffer"/>,
/// <see cref="JournalDurabilityWaiters"/>) each own their state and are called under the journal's lock.</para>
/// <para>Files: this one holds the state, the logs' attachment, prefix deletion and reads; EntryJournal.Appends.cs the
/// append path, EntryJournal.GroupCommit.cs the sync thread, EntryJournal.Recovery.cs opening.</para>
/// </remarks>
public sealed partial class EntryJournal : IDisposable
{
    private readonly object _lock = new();
    private readonly IFileSystem _fileSystem;
    private readonly EntryJournalOptions _options;
    private readonly IDisposable _directoryLock;
    private readonly LogUsability _usability;
    private readonly JournalSegmentList _segments;
    private readonly JournalLogTable _logs;
    private readonly JournalWriteBuffer _buffer = new();
    private readonly JournalDurabilityWaiters _waiters;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _syncThread;
    private JournalSegment? _syncing;
    private long _syncs;
    private long _recordsAppended;

    private EntryJournal(
        IFileSystem fileSystem, EntryJournalOptions options, IDisposable directoryLock, List<JournalSegment> segments, JournalLogTable logs, long tornBytesCut)
    {
        _fileSystem = fileSystem;
        _options = options;
        _directoryLock = directoryLock;
        _logs = logs;
        TornBytesCutAtOpen = tornBytesCut;
        _waiters = new JournalDurabilityWaiters(segments.Count == 0 ? 0 : segments[^1].EndPosition);
        _usability = new LogUsability(options.Directory, typeof(EntryJournal), _waiters.FaultAll);
        _segments = new JournalSegmentList(fileSystem, options.Directory, _usability, segments);
        _syncThread = new Thread(RunSyncLoop) { IsBackground = true, Name = "entry-journal-sync" };
        _syncThread.Start();
    }

    /// <summary>The journal's directory.</summary>
    public string Directory => _options.Directory;

    /// <summary>Bytes that opening cut from the end of the last segment (a torn tail up to its last non-zero byte); 0 after a clean close. Trailing zeros (the reserve) are not counted.</summary>
    public long TornBytesCutAtOpen { get; }

    /// <summary>The number of segment files.</summary>
    public int SegmentCount
    {
        get
        {
            lock (_lock)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>Why the journal failed (every log on it failed with it; reopen the journal), or null.</summary>
    public LogFailedException? Failure
    {
        get
        {
            lock (_lock)
            {
                return _usability.Failure;
            }
        }
    }

    /// <summary>The number of logs open on the journal now.</summary>
    public int OpenLogCount
    {
        get
        {
            lock (_lock)
            {
                return _logs.OpenCount;
            }
        }
    }

    /// <summary>The largest entry payload a log of this journal accepts.</summary>
    internal int MaxEntryBytes => _options.MaxEntryBytes;

    /// <summary>Fsyncs made by the group commit since open (each covers the records of every log appended before it).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Records appended since open (entries, truncations, resets).</summary>
    public long RecordsAppended => Interlocked.Read(ref _recordsAppended);

    /// <summary>
    /// Opens log <paramref name="logId"/> of this journal, with its epoch and checkpoint files in
    /// <paramref name="directory"/>; see <see cref="JournaledEntryLog"/>. One open instance per log id and per directory.
    /// </summary>
    /// <exception cref="LogDirectoryLockedException">Another instance holds the directory.</exception>
    /// <exception cref="InvalidOperationException">The log id is open already.</exception>
    /// <exception cref="EntryLogLayoutException">The directory holds segments of a per-directory <see cref="EntryLog"/>.</exception>
    /// <exception cref="LogCorruptedException">The log's files or records contradict each other (synced entries were lost).</exception>
    /// <exception cref="LogFailedException">The journal failed.</exception>
    public JournaledEntryLog OpenLog(int logId, string directory) => JournaledEntryLog.Open(this, _fileSystem, logId, directory);

    /// <summary>Stops the sync thread and closes the files. Buffered records are written, not synced (as a crash that kept them would).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_usability.TryMarkDisposed())
            {
                return;
            }

            try
            {
                if (_usability.Failure is null)
                {
                    WriteBufferLocked();
                }
            }
            catch (LogFailedException)
            {
                // Failed: what was buffered is lost, as a crash would lose it.
            }

            _waiters.FaultAll(new ObjectDisposedException(nameof(EntryJournal), $"The entry journal in '{Directory}' was closed before the sync completed."));
        }

        _wake.Set();
        _syncThread.Join();
        _segments.Dispose();
        _wake.Dispose();
        _directoryLock.Dispose();
    }

    /// <summary>Takes log <paramref name="logId"/>'s index for its one open log.</summary>
    internal JournalLogIndex Attach(int logId)
    {
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            if (!_logs.TryOpen(logId, out var index))
            {
                throw new InvalidOperationException($"Log {logId} of the entry journal in '{Directory}' is open already.");
            }

            return index;
        }
    }

    /// <summary>Gives back log <paramref name="logId"/> (its index stays: a later open continues from it).</summary>
    internal void Detach(int logId)
    {
        lock (_lock)
        {
            _logs.Close(logId);
        }
    }

    /// <summary>
    /// Releases log <paramref name="logId"/> for good (its owner is gone and deletes the log's directory once this returns):
    /// appends a reset record to LSN 0 and waits until it is durable, so that the log holds nothing from now on and after
    /// any reopening of the journal (a later <see cref="OpenLog"/> of the id on an empty directory starts an empty log), then
    /// deletes every segment no log needs any more (oldest first, each deletion synced): the segments only this log held
    /// entries in are reclaimed.
    /// </summary>
    /// <remarks>
    /// Recovery stays a prefix of what was appended: the reset follows every record of the log, and segments are deleted
    /// oldest first, so a reopened journal that still holds one of the log's old entries holds the reset after it. The caller
    /// must not open the log while this runs.
    /// </remarks>
    /// <returns>The number of segments deleted (for every log).</returns>
    /// <exception cref="InvalidOperationException">The log is open.</exception>
    /// <exception cref="LogFailedException">The journal failed (the reset may not be durable: release again once it is reopened).</exception>
    /// <exception cref="ObjectDisposedException">The journal was closed.</exception>
    public int ReleaseLog(int logId)
    {
        long position;
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            if (_logs.IsOpen(logId))
            {
                throw new InvalidOperationException($"Log {logId} of the entry journal in '{Directory}' is open: close it before releasing it.");
            }

            position = AppendReset(_logs.GetOrAdd(logId), 0, 0);
        }

        WaitDurableAsync(position).GetAwaiter().GetResult();
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            return _segments.DeleteBefore(_logs.FirstNeededSegment(_waiters.DurablePosition), _syncing);
        }
    }

    /// <summary>Forgets <paramref name="index"/>'s entries up to <paramref name="lsn"/> (a durable checkpoint covers them) and deletes the segments no log needs any more; returns how many.</summary>
    internal int DropThroughAndDeleteObsolete(JournalLogIndex index, long lsn)
    {
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            index.DropThrough(lsn);
            return _segments.DeleteBefore(_logs.FirstNeededSegment(_waiters.DurablePosition), _syncing);
        }
    }

    /// <summary>Reads the entry record at <paramref name="location"/> (written to the file first if still buffered), checking its CRC and LSN.</summary>
    /// <exception cref="LogCorruptedException">The record no longer reads back intact.</exception>
    internal LoggedEntry ReadEntry(JournalLocation location, long lsn)
    {
        lock (_lock)
        {
            _usability.ThrowIfDisposed();
            var segment = _segments.Find(location.Segment);
            if (location.Offset + location.Size > segment.WrittenLength)
            {
                WriteBufferLocked();
            }

            var record = new byte[location.Size];
            if (segment.File.Read(location.Offset, record) != record.Length
                || !EntryJournalFormat.IsValidRecord(record)
                || EntryJournalFormat.ReadKind(record) != JournalRecordKind.Entry
                || EntryJournalFormat.ReadLsn(record) != lsn)
            {
                throw new LogCorruptedException(segment.File.Path, location.Offset, $"entry {lsn} ({location.Size} bytes) no longer reads back intact");
            }

            return new LoggedEntry(lsn, EntryJournalFormat.ReadEpoch(record), record.AsMemory(EntryJournalFormat.RecordHeaderSize));
        }
    }
}
