using Actors.Wal.IO;

namespace Actors.Wal.Entries;

/// <summary>
/// A durable log of opaque entries at consecutive LSNs (1, 2, ...), each stamped with an epoch, with what a replicated
/// log needs of its disk: append at a given LSN (a follower copying its leader), truncate a divergent tail back to an
/// LSN durably, read from an LSN (catch-up), and a durably recorded entered epoch. Knows nothing about replication
/// or grains; file layout in <see cref="EntryLogFormat"/>. The log may start above LSN 1: a durable checkpoint
/// (<see cref="Checkpoint"/>, the owner's state after entries 1..<see cref="StartLsn"/>) replaces the entries it covers,
/// which are then deleted (<see cref="DeletePrefix"/>), or replaces the whole log (<see cref="InstallCheckpoint"/>).
/// </summary>
/// <remarks>
/// <para>Positions: <see cref="EndLsn"/> is written (handed to the operating system), <see cref="DurableLsn"/> is
/// synced. <see cref="Append(IReadOnlyList{LoggedEntry})"/> writes without syncing; <see cref="Sync"/> makes everything
/// written durable (one fsync: callers batch appends before it, a group commit); <see cref="TruncateAfter"/> and
/// <see cref="PersistEpoch"/> are durable when they return.</para>
/// <para>Crash guarantees: a crash keeps every synced entry and a prefix of the unsynced ones (a torn last record is
/// cut at open); after <see cref="TruncateAfter"/> returned, no removed entry comes back. A crash during a truncation
/// leaves a prefix of the log as it was, at least as long as the truncation's target.</para>
/// <para>Errors: an I/O error fails the log (<see cref="LogFailedException"/>; fsync is never retried) and every later
/// call throws it until the log is reopened. Out-of-sequence appends are rejected with
/// <see cref="EntrySequenceException"/> and leave the log unchanged.</para>
/// <para>Not thread-safe: one owner calls it (a replica's driver thread). One instance per directory (a lock file).</para>
/// </remarks>
public sealed partial class EntryLog : IEntryLog
{
    private readonly IFileSystem _fileSystem;
    private readonly EntryLogOptions _options;
    private readonly IDisposable _directoryLock;
    private readonly List<EntryLogSegment> _segments;
    private readonly List<long> _epochs;
    private readonly LogUsability _usability;
    private readonly EnteredEpochFile _enteredEpoch;
    private readonly CheckpointFiles _checkpoints;
    private long _firstLsn;
    private byte[] _writeBuffer = new byte[64 * 1024];

    private EntryLog(
        IFileSystem fileSystem,
        EntryLogOptions options,
        IDisposable directoryLock,
        EntryLogCheckpoint checkpoint,
        List<EntryLogSegment> segments,
        long firstLsn,
        List<long> epochs,
        long enteredEpoch,
        long tornBytesCut)
    {
        TornBytesCutAtOpen = tornBytesCut;
        _fileSystem = fileSystem;
        _options = options;
        _directoryLock = directoryLock;
        _segments = segments;
        _epochs = epochs;
        _firstLsn = firstLsn;
        _usability = new LogUsability(options.Directory, typeof(EntryLog));
        _enteredEpoch = new EnteredEpochFile(fileSystem, options.Directory, _usability, enteredEpoch);
        _checkpoints = new CheckpointFiles(fileSystem, options.Directory, _usability, checkpoint);
        DurableLsn = EndLsn;
    }

    /// <summary>The log's directory.</summary>
    public string Directory => _options.Directory;

    /// <summary>The LSN of the last entry written (<see cref="StartLsn"/> when the log holds no entry after its checkpoint).</summary>
    public long EndLsn => _firstLsn - 1 + _epochs.Count;

    /// <summary>Entries up to here are replaced by <see cref="Checkpoint"/> (0 when there is none): the log holds entries <see cref="StartLsn"/> + 1..<see cref="EndLsn"/>.</summary>
    public long StartLsn => _checkpoints.InForce.Lsn;

    /// <summary>The durable checkpoint the log starts at (<see cref="EntryLogCheckpoint.None"/> when it starts at LSN 1).</summary>
    public EntryLogCheckpoint Checkpoint => _checkpoints.InForce;

    /// <summary>The LSN up to which every entry is synced.</summary>
    public long DurableLsn { get; private set; }

    /// <summary>The epoch of the last entry (the checkpoint's when the log holds no entry; 0 when empty).</summary>
    public long LastEpoch => _epochs.Count == 0 ? Checkpoint.Epoch : _epochs[^1];

    /// <summary>The last epoch recorded with <see cref="PersistEpoch"/> (0 if never).</summary>
    public long EnteredEpoch => _enteredEpoch.Epoch;

    /// <summary>
    /// Bytes that opening this log cut from the end of the last segment (a torn tail up to its last non-zero byte, or a
    /// segment whose header was torn): 0 after a clean close. Trailing zero bytes are cut but not counted: they are the
    /// reserve of <see cref="EntryLogOptions.ZeroFillAheadBytes"/> (or zeros where a crash lost unsynced bytes). After a
    /// crash that is the unsynced tail; it can also be damage to synced entries, which the log cannot tell apart
    /// (docs/replication.md), so a host reports it.
    /// </summary>
    public long TornBytesCutAtOpen { get; }

    /// <summary>The number of segment files.</summary>
    public int SegmentCount => _segments.Count;

    /// <summary>The epoch of entry <paramref name="lsn"/> (the checkpoint's epoch at <see cref="StartLsn"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsn"/> is below 1 or beyond <see cref="EndLsn"/>.</exception>
    /// <exception cref="EntriesCheckpointedException"><paramref name="lsn"/> is below <see cref="StartLsn"/>.</exception>
    public long EpochAt(long lsn)
    {
        EntryLogRules.CheckEpochAt(this, lsn);
        return lsn == StartLsn ? Checkpoint.Epoch : _epochs[checked((int)(lsn - _firstLsn))];
    }

    /// <summary>Appends one entry at <paramref name="entry"/>.Lsn, which must be <see cref="EndLsn"/> + 1 (not synced).</summary>
    public void Append(LoggedEntry entry) => Append([entry]);

    /// <summary>
    /// Writes <paramref name="entries"/> (consecutive LSNs from <see cref="EndLsn"/> + 1, epochs not below
    /// <see cref="LastEpoch"/>) at the end of the log; not durable until <see cref="Sync"/>.
    /// </summary>
    /// <exception cref="EntrySequenceException">An LSN or epoch is out of sequence; nothing was written.</exception>
    /// <exception cref="RecordTooLargeException">A payload exceeds <see cref="EntryLogOptions.MaxEntryBytes"/>; nothing was written.</exception>
    /// <exception cref="LogFailedException">An I/O error: the log failed; entries may be partly written.</exception>
    public void Append(IReadOnlyList<LoggedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _usability.ThrowIfUnusable();
        EntryLogRules.ValidateSequence(this, _options.MaxEntryBytes, nameof(EntryLogOptions.MaxEntryBytes), entries);
        var buffered = 0;
        foreach (var entry in entries)
        {
            var size = EntryLogFormat.RecordSize(entry.Payload.Length);
            if (_segments.Count == 0 || ((_segments[^1].Count > 0 || buffered > 0) && _segments[^1].Length + buffered + size > _options.SegmentSizeBytes))
            {
                WriteBuffered(ref buffered);
                StartSegment(entry.Lsn);
            }

            EnsureBuffer(buffered + size);
            EntryLogFormat.WriteRecord(_writeBuffer.AsSpan(buffered), entry.Lsn, entry.Epoch, entry.Payload.Span);
            buffered += size;
            _epochs.Add(entry.Epoch);
        }

        WriteBuffered(ref buffered);
    }

    /// <summary>Makes every entry written so far durable (one fsync of the active segment: older ones were synced when closed).</summary>
    /// <exception cref="LogFailedException">The fsync failed: the log failed (never retried).</exception>
    public void Sync()
    {
        _usability.ThrowIfUnusable();
        if (DurableLsn == EndLsn || _segments.Count == 0)
        {
            DurableLsn = EndLsn;
            return;
        }

        _usability.Guard("fsync", () => _segments[^1].File.FlushData());
        DurableLsn = EndLsn;
    }

    /// <summary>Syncs at once (<see cref="Sync"/>) and returns the completed sync: this log's fsync is its own.</summary>
    /// <exception cref="LogFailedException">The fsync failed: the log failed (never retried).</exception>
    public EntryLogSync RequestSync()
    {
        Sync();
        return new EntryLogSync(EndLsn, 0, Task.CompletedTask);
    }

    /// <summary>Syncs at once (<see cref="Sync"/>), calls <paramref name="whenComplete"/>(<paramref name="state"/>) and returns the completed sync.</summary>
    /// <exception cref="LogFailedException">The fsync failed: the log failed (never retried); the callback is not called.</exception>
    public EntryLogSync RequestSync(Action<object?> whenComplete, object? state)
    {
        ArgumentNullException.ThrowIfNull(whenComplete);
        var sync = RequestSync();
        whenComplete(state);
        return sync;
    }

    /// <summary>Nothing left to do: <see cref="RequestSync()"/> synced before it returned.</summary>
    /// <exception cref="InvalidOperationException">The sync has not completed.</exception>
    public void CompleteSync(EntryLogSync sync)
    {
        ArgumentNullException.ThrowIfNull(sync);
        if (!sync.Completion.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException($"Entry log '{Directory}': the sync to LSN {sync.Lsn} was not made by this log.");
        }
    }

    /// <summary>
    /// Removes every entry after <paramref name="lsn"/>, durably: when it returns, no removed entry can come back after a
    /// crash, and every kept entry is synced. Whole segments beyond the target are deleted newest first (each deletion
    /// synced), so a crash part-way leaves a prefix of the log.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsn"/> is negative or beyond <see cref="EndLsn"/>.</exception>
    /// <exception cref="EntriesCheckpointedException"><paramref name="lsn"/> is below <see cref="StartLsn"/> (a checkpoint covers it); nothing was removed.</exception>
    /// <exception cref="LogFailedException">An I/O error: the log failed.</exception>
    public void TruncateAfter(long lsn)
    {
        EntryLogRules.CheckTruncation(this, lsn, _usability);
        if (lsn == EndLsn)
        {
            Sync();
            return;
        }

        while (_segments.Count > 0 && _segments[^1].FirstLsn > lsn)
        {
            var segment = _segments[^1];
            segment.Dispose();
            _segments.RemoveAt(_segments.Count - 1);
            _usability.Guard("truncate (delete segment)", () => EntrySegmentFile.Delete(_fileSystem, Directory, segment.File.Path));
        }

        if (_segments.Count > 0 && _segments[^1].LastLsn > lsn)
        {
            var segment = _segments[^1];
            var length = segment.ForgetAfter(lsn);
            _usability.Guard("truncate (shrink segment)", () =>
            {
                segment.File.SetLength(length);
                segment.File.Flush();
            });
            segment.ReservedLength = length;
        }

        var keep = checked((int)(lsn - _firstLsn + 1));
        _epochs.RemoveRange(keep, _epochs.Count - keep);
        DurableLsn = lsn;
    }

    /// <summary>Reads entries <paramref name="fromLsn"/>.. (at most <paramref name="maxCount"/>, fewer at the end), checking each CRC.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromLsn"/> is below 1 or <paramref name="maxCount"/> negative.</exception>
    /// <exception cref="EntriesCheckpointedException"><paramref name="fromLsn"/> is not above <see cref="StartLsn"/>: a checkpoint replaced it.</exception>
    /// <exception cref="LogCorruptedException">A record fails its checksum (damage after it was written).</exception>
    public IReadOnlyList<LoggedEntry> Read(long fromLsn, int maxCount)
    {
        EntryLogRules.CheckRead(this, fromLsn, maxCount, _usability);
        var result = new List<LoggedEntry>();
        var segmentIndex = FindSegment(fromLsn);
        for (var lsn = fromLsn; lsn <= EndLsn && result.Count < maxCount; lsn++)
        {
            while (_segments[segmentIndex].LastLsn < lsn)
            {
                segmentIndex++;
            }

            result.Add(ReadRecord(_segments[segmentIndex], lsn));
        }

        return result;
    }

    /// <summary>Durably records that the owner entered <paramref name="epoch"/> (an atomic file replacement).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is below <see cref="EnteredEpoch"/>.</exception>
    /// <exception cref="LogFailedException">An I/O error: the log failed and the epoch may or may not be recorded.</exception>
    public void PersistEpoch(long epoch) => _enteredEpoch.Persist(epoch);

    /// <summary>Closes the files and releases the directory lock. Unsynced entries are left to the operating system.</summary>
    public void Dispose()
    {
        if (!_usability.TryMarkDisposed())
        {
            return;
        }

        foreach (var segment in _segments)
        {
            segment.Dispose();
        }

        _directoryLock.Dispose();
    }

    private void StartSegment(long firstLsn)
    {
        if (_segments.Count > 0)
        {
            // The closed segment is cut to its records and synced before the new one is used: only the last segment can
            // have a torn or zero-filled tail.
            var closing = _segments[^1];
            _usability.Guard("cut the zero-filled reserve", () => closing.ReservedLength = EntrySegmentFile.CutReserve(closing.File, closing.Length, closing.ReservedLength));
            _usability.Guard("fsync (close segment)", () => closing.File.FlushData());
            DurableLsn = closing.LastLsn;
        }

        var path = Path.Combine(Directory, EntryLogFormat.SegmentFileName(firstLsn));
        _usability.Guard("create segment", () =>
        {
            Span<byte> header = stackalloc byte[EntryLogFormat.SegmentHeaderSize];
            EntryLogFormat.WriteSegmentHeader(header, firstLsn);
            _segments.Add(new EntryLogSegment(EntrySegmentFile.Create(_fileSystem, Directory, path, header), firstLsn));
        });
    }

    private void WriteBuffered(ref int buffered)
    {
        if (buffered == 0)
        {
            return;
        }

        var segment = _segments[^1];
        var count = buffered;
        var offset = segment.Length;
        _usability.Guard("write", () => segment.File.Write(offset, _writeBuffer.AsSpan(0, count)));
        _usability.Guard("zero-fill ahead", () => segment.ReservedLength = EntrySegmentFile.ZeroFillAhead(
            segment.File, offset + count, segment.ReservedLength, _options.ZeroFillAheadBytes, _options.SegmentSizeBytes));
        var position = 0;
        while (position < count)
        {
            var size = EntryLogFormat.ReadRecordLength(_writeBuffer.AsSpan(position));
            segment.Added(size);
            position += size;
        }

        buffered = 0;
    }

    private void EnsureBuffer(int size)
    {
        if (_writeBuffer.Length < size)
        {
            Array.Resize(ref _writeBuffer, Math.Max(size, _writeBuffer.Length * 2));
        }
    }

    private int FindSegment(long lsn)
    {
        int low = 0, high = _segments.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) >>> 1;
            if (_segments[middle].FirstLsn <= lsn)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private LoggedEntry ReadRecord(EntryLogSegment segment, long lsn)
    {
        var (offset, size) = segment.RecordRange(lsn);
        var record = new byte[size];
        if (segment.File.Read(offset, record) != size || !EntryLogFormat.IsValidRecord(record) || EntryLogFormat.ReadLsn(record) != lsn)
        {
            throw new LogCorruptedException(segment.File.Path, offset, $"entry {lsn} ({size} bytes) no longer reads back intact");
        }

        return new LoggedEntry(lsn, EntryLogFormat.ReadEpoch(record), record.AsMemory(EntryLogFormat.RecordHeaderSize));
    }
}
