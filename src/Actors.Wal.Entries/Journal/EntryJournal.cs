using Actors.Wal.IO;

namespace Actors.Wal.Entries.Journal;

/// <summary>
/// One group-committed journal shared by many entry logs (<see cref="JournaledEntryLog"/>, opened with
/// <see cref="OpenLog"/>): every log's entries, truncations and checkpoint installs are records in the same segment
/// files, so one fsync makes the recent writes of all of them durable, and a sync never blocks the log that asked for it
/// (<see cref="JournaledEntryLog.RequestSync"/> completes when a background sync covers its records). Each log's entered
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
/// after a checkpoint, truncations, installs); oldest first, so recovery never sees a record whose predecessors of the
/// same log it needs are gone. A log that is never checkpointed keeps every segment holding its entries.</para>
/// <para>Errors: an I/O error fails the journal (<see cref="LogFailedException"/>; fsync is never retried): every log on
/// it fails and every wait for durability faults with it, until the journal is reopened.</para>
/// <para>Thread safety: every member may be called from any thread; each log is used by one owner at a time.</para>
/// </remarks>
public sealed partial class EntryJournal : IDisposable
{
    private readonly object _lock = new();
    private readonly IFileSystem _fileSystem;
    private readonly EntryJournalOptions _options;
    private readonly IDisposable _directoryLock;
    private readonly List<JournalSegment> _segments;
    private readonly Dictionary<int, JournalLogIndex> _logs;
    private readonly HashSet<int> _attached = [];
    private readonly PriorityQueue<TaskCompletionSource, long> _waiters = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _syncThread;
    private readonly LogUsability _usability;
    private byte[] _buffer = new byte[64 * 1024];
    private int _buffered;
    private long _durablePosition;
    private long _nextOrdinal;
    private JournalSegment? _syncing;
    private long _syncs;
    private long _recordsAppended;

    private EntryJournal(
        IFileSystem fileSystem, EntryJournalOptions options, IDisposable directoryLock, List<JournalSegment> segments, Dictionary<int, JournalLogIndex> logs, long tornBytesCut)
    {
        _fileSystem = fileSystem;
        _options = options;
        _directoryLock = directoryLock;
        _segments = segments;
        _logs = logs;
        TornBytesCutAtOpen = tornBytesCut;
        _usability = new LogUsability(options.Directory, typeof(EntryJournal), FaultWaitersLocked);
        _nextOrdinal = segments.Count == 0 ? 0 : segments[^1].Ordinal + 1;
        _durablePosition = segments.Count == 0 ? 0 : segments[^1].EndPosition;
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
                return _attached.Count;
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

            FaultWaitersLocked(new ObjectDisposedException(nameof(EntryJournal), $"The entry journal in '{Directory}' was closed before the sync completed."));
        }

        _wake.Set();
        _syncThread.Join();
        foreach (var segment in _segments)
        {
            segment.Dispose();
        }

        _wake.Dispose();
        _directoryLock.Dispose();
    }

    /// <summary>Takes log <paramref name="logId"/>'s index for its one open log.</summary>
    internal JournalLogIndex Attach(int logId)
    {
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            if (!_attached.Add(logId))
            {
                throw new InvalidOperationException($"Log {logId} of the entry journal in '{Directory}' is open already.");
            }

            if (!_logs.TryGetValue(logId, out var index))
            {
                index = new JournalLogIndex(logId);
                _logs.Add(logId, index);
            }

            return index;
        }
    }

    /// <summary>Gives back log <paramref name="logId"/> (its index stays: a later open continues from it).</summary>
    internal void Detach(int logId)
    {
        lock (_lock)
        {
            _attached.Remove(logId);
        }
    }

    /// <summary>Appends <paramref name="entries"/> (validated by the log) as records of <paramref name="index"/>'s log and adds them to it; not durable until a sync covers them.</summary>
    internal void AppendEntries(JournalLogIndex index, IReadOnlyList<LoggedEntry> entries)
    {
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            foreach (var entry in entries)
            {
                var location = AppendRecordLocked(JournalRecordKind.Entry, index.LogId, entry.Lsn, entry.Epoch, entry.Payload.Span);
                if (!index.TryAdd(entry.Lsn, entry.Epoch, location))
                {
                    throw new InvalidOperationException($"Log {index.LogId}: entry {entry.Lsn} does not follow its end {index.EndLsn} (the log validates before appending).");
                }

                index.LastPosition = _segments[^1].EndPosition;
            }

            WriteBufferIfFullLocked();
        }
    }

    /// <summary>Appends a truncation record (entries after <paramref name="lsn"/> are gone) and applies it to <paramref name="index"/>; returns the position to sync to.</summary>
    internal long AppendTruncate(JournalLogIndex index, long lsn)
    {
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            AppendRecordLocked(JournalRecordKind.Truncate, index.LogId, lsn, 0, []);
            index.TruncateAfter(lsn);
            index.LastPosition = _segments[^1].EndPosition;
            return index.LastPosition;
        }
    }

    /// <summary>Appends a reset record (the log is a checkpoint at <paramref name="lsn"/> with no entry) and applies it to <paramref name="index"/>; returns the position to sync to.</summary>
    internal long AppendReset(JournalLogIndex index, long lsn, long epoch)
    {
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            AppendRecordLocked(JournalRecordKind.Reset, index.LogId, lsn, epoch, []);
            index.Clear(lsn);
            index.LastPosition = _segments[^1].EndPosition;
            return index.LastPosition;
        }
    }

    /// <summary>Forgets <paramref name="index"/>'s entries up to <paramref name="lsn"/> (a durable checkpoint covers them) and deletes the segments no log needs any more; returns how many.</summary>
    internal int DropThroughAndDeleteObsolete(JournalLogIndex index, long lsn)
    {
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            index.DropThrough(lsn);
            var needed = long.MaxValue;
            foreach (var log in _logs.Values)
            {
                needed = Math.Min(needed, log.FirstNeededSegment);
            }

            var deleted = 0;
            while (_segments.Count > 1 && _segments[0].Ordinal < needed && !ReferenceEquals(_segments[0], _syncing))
            {
                var segment = _segments[0];
                _segments.RemoveAt(0);
                segment.Dispose();
                _usability.Guard("delete an obsolete segment", () => EntrySegmentFile.Delete(_fileSystem, Directory, segment.File.Path));
                deleted++;
            }

            return deleted;
        }
    }

    /// <summary>Completes when every record up to <paramref name="position"/> is durable; faults with <see cref="LogFailedException"/> when the journal fails first.</summary>
    internal Task WaitDurableAsync(long position)
    {
        lock (_lock)
        {
            if (_usability.Failure is { } failure)
            {
                return Task.FromException(failure);
            }

            _usability.ThrowIfDisposed();
            if (position <= _durablePosition)
            {
                return Task.CompletedTask;
            }

            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(completion, position);
            _wake.Set();
            return completion.Task;
        }
    }

    /// <summary>Reads the entry record at <paramref name="location"/> (written to the file first if still buffered), checking its CRC and LSN.</summary>
    /// <exception cref="LogCorruptedException">The record no longer reads back intact.</exception>
    internal LoggedEntry ReadEntry(JournalLocation location, long lsn)
    {
        lock (_lock)
        {
            _usability.ThrowIfDisposed();
            var segment = FindSegmentLocked(location.Segment);
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

    private JournalLocation AppendRecordLocked(JournalRecordKind kind, int logId, long lsn, long epoch, ReadOnlySpan<byte> payload)
    {
        var size = EntryJournalFormat.RecordSize(payload.Length);
        if (_segments.Count == 0 || (_segments[^1].HasRecords && _segments[^1].Length + size > _options.SegmentSizeBytes))
        {
            StartSegmentLocked();
        }

        var segment = _segments[^1];
        if (_buffer.Length < _buffered + size)
        {
            Array.Resize(ref _buffer, Math.Max(_buffered + size, _buffer.Length * 2));
        }

        EntryJournalFormat.WriteRecord(_buffer.AsSpan(_buffered), kind, logId, lsn, epoch, payload);
        var location = new JournalLocation(segment.Ordinal, segment.Length, size);
        _buffered += size;
        segment.Length += size;
        _recordsAppended++;
        return location;
    }

    /// <summary>Seals the active segment (its buffer written, its reserve cut, synced: only the last segment may end torn or in zeros) and creates the next.</summary>
    private void StartSegmentLocked()
    {
        long firstPosition = 0;
        if (_segments.Count > 0)
        {
            var sealing = _segments[^1];
            WriteBufferLocked();
            _usability.Guard("cut the zero-filled reserve", () => sealing.ReservedLength = EntrySegmentFile.CutReserve(sealing.File, sealing.Length, sealing.ReservedLength));
            _usability.Guard("fsync (seal segment)", () => sealing.File.FlushData());
            CompleteWaitersLocked(sealing.EndPosition);
            firstPosition = sealing.EndPosition;
        }

        var path = Path.Combine(Directory, EntryJournalFormat.SegmentFileName(firstPosition));
        var ordinal = _nextOrdinal++;
        _usability.Guard("create segment", () =>
        {
            Span<byte> header = stackalloc byte[EntryJournalFormat.SegmentHeaderSize];
            EntryJournalFormat.WriteSegmentHeader(header, firstPosition);
            _segments.Add(new JournalSegment(EntrySegmentFile.Create(_fileSystem, Directory, path, header), ordinal, firstPosition));
        });
    }

    private void WriteBufferIfFullLocked()
    {
        if (_buffered >= _options.MaxBufferedBytes)
        {
            WriteBufferLocked();
        }
    }

    /// <summary>Hands the buffered records to the active segment's file and zero-fills ahead of them when they reach the reserve's end.</summary>
    private void WriteBufferLocked()
    {
        if (_buffered == 0)
        {
            return;
        }

        var segment = _segments[^1];
        var count = _buffered;
        var offset = segment.WrittenLength;
        _usability.Guard("write", () => segment.File.Write(offset, _buffer.AsSpan(0, count)));
        _buffered = 0;
        segment.WrittenLength = offset + count;
        _usability.Guard("zero-fill ahead", () => segment.ReservedLength = EntrySegmentFile.ZeroFillAhead(
            segment.File, segment.WrittenLength, segment.ReservedLength, _options.ZeroFillAheadBytes, _options.SegmentSizeBytes));
    }

    /// <summary>The group commit: waits until a log waits for durability, writes the buffer, fsyncs the active segment outside the lock, completes the waits it covered.</summary>
    private void RunSyncLoop()
    {
        while (true)
        {
            _wake.Wait();
            _wake.Reset();
            while (true)
            {
                JournalSegment segment;
                long target;
                lock (_lock)
                {
                    if (_usability.IsDisposed || _usability.Failure is not null)
                    {
                        return;
                    }

                    if (!_waiters.TryPeek(out _, out var first) || first <= _durablePosition)
                    {
                        CompleteWaitersLocked(_durablePosition);
                        break;
                    }

                    try
                    {
                        WriteBufferLocked();
                    }
                    catch (LogFailedException)
                    {
                        return;
                    }

                    segment = _segments[^1];
                    target = segment.FirstPosition + segment.WrittenLength;
                    _syncing = segment;
                }

                Exception? failure = null;
                try
                {
                    segment.File.FlushData();
                }
                catch (Exception exception) when (exception is IOException or ObjectDisposedException)
                {
                    failure = exception;
                }

                lock (_lock)
                {
                    _syncing = null;
                    if (failure is not null)
                    {
                        if (!_usability.IsDisposed)
                        {
                            _usability.Fail("fsync", failure);
                        }

                        return;
                    }

                    Interlocked.Increment(ref _syncs);
                    CompleteWaitersLocked(target);
                }
            }
        }
    }

    private void CompleteWaitersLocked(long durable)
    {
        _durablePosition = Math.Max(_durablePosition, durable);
        while (_waiters.TryPeek(out var completion, out var position) && position <= _durablePosition)
        {
            _waiters.Dequeue();
            completion.TrySetResult();
        }
    }

    private void FaultWaitersLocked(Exception exception)
    {
        while (_waiters.TryDequeue(out var completion, out _))
        {
            completion.TrySetException(exception);
        }
    }

    private JournalSegment FindSegmentLocked(long ordinal)
    {
        var index = checked((int)(ordinal - _segments[0].Ordinal));
        return _segments[index];
    }
}
