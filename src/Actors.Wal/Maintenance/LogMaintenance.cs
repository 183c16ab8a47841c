using System.Buffers;
using Actors.Wal.ChangeFeed;
using Actors.Wal.Diagnostics;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Reading;
using Actors.Wal.Segments;
using Actors.Wal.Writing;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Maintenance;

/*
 * Space management, off the append path, on the maintenance thread. Every stream entry carries its live runs
 * (StreamEntry); a sealed segment whose live bytes are zero holds nothing any stream needs.
 *   1. Dead segments (sealed, live bytes zero; retention keeps the RetainSegmentCount newest sealed ones and those
 *      sealed less than RetainMaxAge ago): found FIRST, then a fresh recovery snapshot is written (its entries, copied
 *      after the dead set was found, cannot point into it: live bytes of a sealed segment only fall) unless the latest
 *      one's entries were copied when every one of them was already dead and fully applied (the rotation's pass writes
 *      one just before). Then the manifest drops them, then the files are recycled or deleted once their last reader let go.
 *   2. Sparse segments (live ratio below CompactionLiveRatio), segments an erase or a checkpoint deletion marked, and
 *      segments sealed under an older key: every stream with live records there is read (off any lock) and copied
 *      forward by the writer as one Relocated record (its base plus the events after it; with RetainCheckpointedEvents
 *      every event still stored that the stream's policy keeps, the base after those it covers), unless it changed
 *      meanwhile. Once the copies are applied the segments are dead: step 1 again. One pass copies about MaxBatchBytes;
 *      later passes continue. A background pass takes a segment for its live ratio only while its copies (the whole live
 *      content of each stream there: CopyCost) cost less than the ratio of its bytes, so keep-all journals are not copied
 *      forward with their histories because states died around their newest events.
 * What is live is the writer's rule (StreamEntry.Apply): with RetainCheckpointedEvents a checkpoint supersedes nothing,
 * except for a stream whose StreamRetention policy reclaims what it covers (decided once per entry, cached in its flags):
 * its records below its checkpoint are dead at once, so step 1 deletes their segments with no HistoryTrimAge wait.
 * Chain consolidation (ChainConsolidator.cs, which owns its queue and retries): a stream whose read would walk
 * ConsolidateAfterRecords records back to its checkpoint is copied forward the same way (one Relocated record), whatever
 * the live ratio of its segments, so a cold read fetches its tail from a few contiguous pages. The committer asks
 * (RequestConsolidation, into its ConsolidationQueue); each loop turn runs it after its other work, and it yields to a
 * pass, a compaction or stopping between chunks (IChainConsolidationHost, LogMaintenance.Consolidation.cs).
 * A pass runs after each rotation (with the snapshot), on CompactAsync, and once per burst of erases (the erase window,
 * LogMaintenance.EraseWindow.cs); while that window is open the other passes leave the erase work (step 2's marked
 * segments and the erasure scans) to it.
 */

/// <summary>
/// The log's background maintenance: recovery snapshots, deletion and recycling of dead segments, compaction and
/// retention, on a thread of its own, so none of it runs on the append path.
/// </summary>
/// <remarks>
/// Ownership: the maintenance thread alone decides what to delete and what to compact; it reads the index and the
/// live bytes without locks, changes segments only through <see cref="SegmentManager"/> and streams only through the
/// writer (relocation requests). Work items run one at a time, in the order requested; chain consolidation
/// (<see cref="ChainConsolidator"/>) runs on this thread too, after them.
/// </remarks>
internal sealed partial class LogMaintenance : IChainConsolidationHost
{
    /// <summary>Streams read and copied forward together by a compaction pass (their read buffers are reused per chunk).</summary>
    private const int RelocationChunk = 128;

    /// <summary>
    /// Read buffers of compaction (maintenance thread only): room for one chunk's windows, so a pass reuses them.
    /// Windows are 4, 16 or 64 KiB; longer records get buffers of their own (the pool does not keep those).
    /// </summary>
    private readonly ArrayPool<byte> _readBuffers = ArrayPool<byte>.Create(maxArrayLength: 64 * 1024, maxArraysPerBucket: RelocationChunk);
    private readonly SemaphoreSlim _work = new(0);
    private readonly Queue<TaskCompletionSource<CompactionResult>> _compactions = new();
    private readonly List<ErasureScan> _erasureScans = [];
    private readonly List<(TaskCompletionSource Waiter, long Consolidations)> _idleWaiters = [];
    private readonly ChainConsolidator _consolidator;
    private readonly WriteAheadLogOptions _options;
    private readonly IFileSystem _fileSystem;
    private readonly StreamIndex _index;
    private readonly SegmentManager _segments;
    private readonly LogReader _reader;
    private readonly LogWriter _writer;
    private readonly Committer _committer;
    private readonly LogHealth _health;
    private readonly LogCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _maxRecordLength;
    private readonly SemaphoreSlim _snapshotLock = new(1, 1);
    private readonly SnapshotWriter _snapshots;
    private readonly RelocationScratch _relocationScratch = new();
    private IReadOnlySet<uint> _deadBeforeLastSnapshot = new HashSet<uint>();
    private bool _passRequested;
    private long _passAppliedTarget = LogPosition.None;
    private bool _stopping;
    private Task _loop = Task.CompletedTask;
    private ITimer? _eraseQuietTimer;
    private ITimer? _eraseBoundTimer;
    private bool _eraseWindowOpen;
    private bool _erasePassRequested;

    /// <summary>Creates the maintenance of a running log.</summary>
    public LogMaintenance(
        WriteAheadLogOptions options,
        IFileSystem fileSystem,
        StreamIndex index,
        SegmentManager segments,
        LogReader reader,
        LogWriter writer,
        Committer committer,
        LogHealth health,
        LogCounters counters,
        TimeProvider time,
        ILogger logger)
    {
        _options = options;
        _fileSystem = fileSystem;
        _index = index;
        _segments = segments;
        _reader = reader;
        _writer = writer;
        _committer = committer;
        _health = health;
        _counters = counters;
        _time = time;
        _logger = logger;
        _maxRecordLength = options.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize;
        _snapshots = new SnapshotWriter(fileSystem, options.Directory, options.SnapshotDeltaMinStreams);
        _consolidator = new ChainConsolidator(this, options, index, reader, writer, health, counters, time, logger, _readBuffers, _maxRecordLength);
    }

    /// <summary>The retained change-feed readers, whose segments space management keeps (null: none can register).</summary>
    public ChangeFeedRetentions? Retentions { get; init; }

    /// <summary>The log's payload cipher (null: not encrypted); compaction rewrites segments of older keys with its key.</summary>
    public Encryption.PayloadCipher? Cipher { get; init; }

    /// <summary>
    /// Tests only: maps the idle slot compaction found a stream in to the slot it tells the writer (null: the slot found).
    /// A test that points it elsewhere stages a slot that no longer holds the stream, as a demotion between compaction's
    /// read of the index and the writer's framing leaves it.
    /// </summary>
    internal Func<int, int>? IdleSlotRedirectForTests { get; set; }

    /// <summary>
    /// Starts the maintenance loop on the thread pool. Not a thread of its own: the loop awaits its work signal at once, and
    /// every pass already runs on the pool after that await, so a dedicated thread would only be created to end there.
    /// </summary>
    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Stops after the work item in progress; queued compactions fail with <see cref="ObjectDisposedException"/>.</summary>
    public async Task StopAsync()
    {
        lock (_compactions)
        {
            _stopping = true;
        }

        _work.Release();
        await _loop.ConfigureAwait(false);
        lock (_compactions)
        {
            while (_compactions.TryDequeue(out var pending))
            {
                pending.TrySetException(new ObjectDisposedException(nameof(WriteAheadLog)));
            }

            ReleaseIdleWaiters(long.MaxValue);
        }

        DisposeEraseTimers();
        _consolidator.Dispose();
    }

    /// <summary>
    /// Completes once every snapshot, pass, compaction and chain consolidation requested before the call has run (or
    /// maintenance stopped).
    /// Tests and fixtures use it to get a deterministic recovery point. Any thread.
    /// </summary>
    /// <remarks>
    /// An erase pass still waiting in its window (<see cref="ScheduleErasePass"/>) is not requested yet: this does not
    /// wait for it (<see cref="CompactAsync"/> removes erased data at once).
    /// </remarks>
    public Task WhenIdleAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_compactions)
        {
            if (_stopping)
            {
                return Task.CompletedTask;
            }

            _idleWaiters.Add((waiter, _consolidator.Requested));
        }

        _work.Release();
        return waiter.Task;
    }

    /// <summary>
    /// Asks for a snapshot and a space pass after a rotation: the snapshot is taken once the committer applied
    /// everything before <paramref name="sealEnd"/> (the old segment's seal), so its recovery point lies past the sealed
    /// segment. Any thread; requests coalesce.
    /// </summary>
    public void RequestPass(long sealEnd)
    {
        lock (_compactions)
        {
            _passRequested = true;
            _passAppliedTarget = Math.Max(_passAppliedTarget, sealEnd);
        }

        _work.Release();
    }

    /// <summary>Asks for a space pass over what is applied now (any thread): segments of older keys wait for one at open.</summary>
    public void RequestRekeyPass() => RequestPass(_committer.AppliedPosition);

    /// <summary>Runs a space pass now (after any queued work) and returns what it reclaimed.</summary>
    public Task<CompactionResult> CompactAsync()
    {
        var completion = new TaskCompletionSource<CompactionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_compactions)
        {
            if (_stopping)
            {
                throw new ObjectDisposedException(nameof(WriteAheadLog));
            }

            _compactions.Enqueue(completion);
        }

        _work.Release();
        return completion.Task;
    }

    /// <summary>
    /// Writes a recovery snapshot of the state applied now (maintenance thread, or the log when it closes or opens).
    /// Everything applied when the entries were copied is made durable before the file is renamed into place.
    /// </summary>
    public async Task WriteSnapshotAsync(bool clean)
    {
        // One at a time (the maintenance thread, and the open that repairs durable claims): the file on disk and the dead
        // segments it covers (_deadBeforeLastSnapshot) must come from the same snapshot, and both share the temporary file.
        await _snapshotLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await WriteSnapshotLockedAsync(clean).ConfigureAwait(false);
        }
        finally
        {
            _snapshotLock.Release();
        }
    }

    private async Task WriteSnapshotLockedAsync(bool clean)
    {
        _health.ThrowIfAbandoned();
        long recoveryPoint = _committer.AppliedPosition;
        long nextLsn = _writer.NextLsn;
        long lastTimestamp = _writer.LastTimestamp;
        var segments = _segments.Current;
        if (segments.Find(LogPosition.Segment(recoveryPoint)) is { IsSealed: true } sealedSegment
            && LogPosition.Offset(recoveryPoint) >= sealedSegment.WrittenOffset
            && segments.After(sealedSegment.Id) is { } next)
        {
            // Everything up to the seal is applied and the writer moved on: the same point, named in the segment
            // the records after it go to (recovery then never rescans a sealed segment for it).
            recoveryPoint = LogPosition.Create(next.Id, SegmentHeader.Size);
        }

        // Fully applied (before the recovery point's segment) and dead before the entries are copied: no entry of this
        // snapshot points into them (a sealed segment's live bytes only fall), so deleting them needs no newer one.
        uint recoverySegment = LogPosition.Segment(recoveryPoint);
        var deadBeforeCopy = segments.All.Where(s => s.IsSealed && s.LiveBytes <= 0 && s.Id < recoverySegment).Select(static s => s.Id).ToHashSet();
        var snapshot = _snapshots.Prepare(clean, recoveryPoint, nextLsn, lastTimestamp, _index, segments);
        if (_options.SyncPolicy != SyncPolicy.Always && !clean)
        {
            // Applied records are written but maybe not synced under Interval/None: the snapshot must not point at
            // records a power loss could take.
            var flush = new FlushRequest();
            if (_writer.TryEnqueue(flush))
            {
                await flush.Task.ConfigureAwait(false);
            }
        }

        _health.ThrowIfAbandoned();
        _snapshots.Write(snapshot);
        Interlocked.Increment(ref snapshot.IsDelta ? ref _counters.SnapshotDeltasWritten : ref _counters.SnapshotsWritten);
        Interlocked.Add(ref _counters.SnapshotBytesWritten, snapshot.Data.Length);
        Volatile.Write(ref _deadBeforeLastSnapshot, deadBeforeCopy);
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            await _work.WaitAsync().ConfigureAwait(false);
            TaskCompletionSource<CompactionResult>? compaction = null;
            bool pass;
            long appliedTarget;
            SpacePassScope scope;
            lock (_compactions)
            {
                if (_stopping)
                {
                    return;
                }

                _compactions.TryDequeue(out compaction);
                pass = _passRequested;
                appliedTarget = _passAppliedTarget;
                _passRequested = false;
                bool erasePass = pass && _erasePassRequested;
                if (erasePass)
                {
                    _erasePassRequested = false;
                }

                if (erasePass || compaction is not null)
                {
                    CloseEraseWindow(); // this pass covers every erase so far
                }

                scope = new SpacePassScope(Requested: compaction is not null, ErasePass: erasePass, DeferErased: _eraseWindowOpen);
            }

            if (compaction is not null || pass)
            {
                await RunWorkItemAsync(compaction, pass, appliedTarget, scope).ConfigureAwait(false);
            }

            if (_consolidator.HasWork)
            {
                await _consolidator.RunAsync().ConfigureAwait(false);
            }

            lock (_compactions)
            {
                if (!_passRequested && _compactions.Count == 0)
                {
                    ReleaseIdleWaiters(_consolidator.Done);
                }
            }
        }
    }

    [LoggerMessage(62, LogLevel.Warning, "Space pass skipped: no space left on the device for maintenance; the log keeps running and the next rotation (once a segment fits) runs the pass again")]
    private partial void LogSpacePassSkippedNoSpace(Exception exception);

    /// <summary>A requested pass writes the snapshot first (after a rotation), then deletes and compacts.</summary>
    private async Task RunWorkItemAsync(TaskCompletionSource<CompactionResult>? compaction, bool pass, long appliedTarget, SpacePassScope scope)
    {
        try
        {
            if (_health.IsFailed || _health.IsAbandoned)
            {
                throw _health.NewError();
            }

            if (pass)
            {
                await WhenAppliedAsync(appliedTarget).ConfigureAwait(false);
            }

            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            CompactionResult result;
            try
            {
                if (pass)
                {
                    await WriteSnapshotAsync(clean: false).ConfigureAwait(false);
                }

                result = await RunSpacePassAsync(scope).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Increment(ref _counters.SpacePasses);
                Interlocked.Add(ref _counters.SpacePassTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            }

            compaction?.TrySetResult(result);
        }
        catch (Exception ex) when (IsNoRoom(ex))
        {
            // The device is full and nothing durable changed: a temporary file that could not be written was deleted and
            // the file it was to replace is as it was, or the writer refused a copy or a seal for want of a segment. The
            // pass is skipped; the next rotation (which the full device refuses until there is room) asks for another.
            Interlocked.Increment(ref _counters.SpacePassesSkippedNoSpace);
            LogSpacePassSkippedNoSpace(ex);
            compaction?.TrySetException(ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or LogFailedException or ObjectDisposedException)
        {
            if (ex is IOException or UnauthorizedAccessException)
            {
                _health.EnterFailed("space management", ex);
            }

            compaction?.TrySetException(ex is LogFailedException or ObjectDisposedException ? ex : _health.NewError());
        }
    }

    /// <summary>
    /// True for a failure of a space pass on a full device that left every durable file as it was: ENOSPC creating or
    /// writing a metadata file's temporary file (<see cref="FileNotReplacedException"/>: the snapshot, the manifest, the
    /// erasure scans), or a copy or seal the writer refused for want of a new segment (<see cref="LogDiskFullException"/>).
    /// A failed fsync, rename or directory fsync is not one of them (it fails the log).
    /// </summary>
    private static bool IsNoRoom(Exception ex)
        => ex is LogDiskFullException || (ex is FileNotReplacedException && LogFailedException.IsDiskFullError(ex));

    /// <summary>
    /// Waits until the committer applied everything before <paramref name="position"/>, or can no longer (failed,
    /// abandoned, stopped): the snapshot then simply covers less.
    /// </summary>
    private async Task WhenAppliedAsync(long position)
    {
        while (_committer.AppliedPosition < position && !_health.IsFailed && !_health.IsAbandoned && !_committer.Stopped.IsCompleted)
        {
            await Task.WhenAny(_committer.WhenAppliedBeyond(position - 1), _committer.Stopped).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Completes every <see cref="WhenIdleAsync"/> waiter whose consolidations (the requests accepted before it) are among
    /// the <paramref name="consolidationsDone"/> handled; the caller holds the queue's lock.
    /// </summary>
    private void ReleaseIdleWaiters(long consolidationsDone)
    {
        _idleWaiters.RemoveAll(w =>
        {
            if (w.Consolidations > consolidationsDone)
            {
                return false;
            }

            w.Waiter.TrySetResult();
            return true;
        });
    }
}
