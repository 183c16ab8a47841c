using Actors.Wal.Format;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Segments;

/// <summary>
/// Prepares the next segment ahead of the writer on a thread of its own, one spare at a time (etcd's
/// <c>filePipeline</c> beside its WAL): a new file (preallocated, zero-filled at the pace of <see cref="ZeroFillPacing"/>)
/// or a recycled one, under its spare name (<see cref="SegmentManager.SpareSuffix"/>), given a header, synced with its
/// directory, then listed in the manifest as a spare (the <c>list</c> callback); only then can the writer take it.
/// Also checks the spare recovery kept (<see cref="Adopt"/>) before handing it out.
/// </summary>
/// <remarks>
/// <para>Ownership: the ready spare, the preparation under way and the counters are this type's alone, changed under
/// <c>_lock</c>. The writer takes (<see cref="Take"/>); the pipeline's thread prepares and checks; the manifest reads
/// <see cref="ListedSpareIds"/>. Lock order: a callback this type calls under its lock (<c>publish</c> in
/// <see cref="Take"/>) may take the caller's lock; the caller never calls in here while holding its own.</para>
/// <para>Contract: a spare is handed out once; a failed preparation is logged and counted
/// (<see cref="PreparationFailures"/>) and its file is never handed out (the writer then creates the next segment
/// itself); <see cref="StopAsync"/> abandons a preparation under way and deletes its file (a ready spare stays: it is
/// listed, and the next open keeps it).</para>
/// </remarks>
internal sealed partial class SparePipeline
{
    private readonly SegmentFileFactory _files;
    private readonly RecycledSegmentFiles _recycled;
    private readonly Func<uint> _nextId;
    private readonly Action _list;
    private readonly Action _settledCallback;
    private readonly Func<bool> _halted;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly ManualResetEventSlim _settled = new(false);
    private readonly ManualResetEventSlim _hurry = new(false);
    private Segment? _ready;
    private Segment? _pending;
    private uint _pendingId;
    private bool _verifying;
    private bool _requested;
    private bool _stopping;
    private int _writerWaiting;
    private long _lastTakeTimestamp;
    private TimeSpan _expectedLifetime;
    private Task _loop = Task.CompletedTask;
    private long _taken;
    private long _waits;
    private long _zeroFillsCut;
    private long _failures;

    /// <summary>Creates the pipeline (nothing runs before <see cref="Start"/>).</summary>
    /// <param name="files">Creates, renames and zeroes the files.</param>
    /// <param name="recycled">Files to reuse before creating new ones.</param>
    /// <param name="nextId">Reserves the next segment id (called under this type's lock, so ids reach the writer in order).</param>
    /// <param name="list">Writes the manifest, which then lists <see cref="ListedSpareIds"/>; throws when it failed.</param>
    /// <param name="settled">Told (pipeline thread, no lock held) each time a preparation or check ends, however it ended.</param>
    /// <param name="halted">True once the log failed or was abandoned: nothing more is prepared.</param>
    /// <param name="time">Paces the zero-filling (timestamps only).</param>
    /// <param name="logger">Logs failed preparations.</param>
    public SparePipeline(SegmentFileFactory files, RecycledSegmentFiles recycled, Func<uint> nextId, Action list, Action settled, Func<bool> halted, TimeProvider time, ILogger logger)
    {
        _files = files;
        _recycled = recycled;
        _nextId = nextId;
        _list = list;
        _settledCallback = settled;
        _halted = halted;
        _time = time;
        _logger = logger;
    }

    /// <summary>Spares taken by the writer since open (any thread).</summary>
    public long SparesTaken => Interlocked.Read(ref _taken);

    /// <summary>Takes that found the spare still being prepared and waited for it: each a stall of the append path (any thread).</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>Zero-fillings stopped early because the writer waited for the spare (the rest reads as zeros; any thread).</summary>
    public long ZeroFillsCut => Interlocked.Read(ref _zeroFillsCut);

    /// <summary>Preparations (or checks of an adopted spare) that failed with an I/O error since open (any thread).</summary>
    public long PreparationFailures => Interlocked.Read(ref _failures);

    /// <summary>
    /// True while a spare is asked for, being prepared or checked (any thread, no lock; may be stale at once). A request
    /// counts from the moment it is made, so the manifest writer, which defers to a preparation, never sees a gap between
    /// a rotation's request and the preparation starting on the pipeline's thread.
    /// </summary>
    public bool IsPreparing => Volatile.Read(ref _pendingId) != 0 || Volatile.Read(ref _requested);

    /// <summary>The spares the manifest must list: the ready one and one under preparation that is already created.</summary>
    public IReadOnlyList<uint> ListedSpareIds
    {
        get
        {
            lock (_lock)
            {
                return (_ready, _pending) switch
                {
                    (null, null) => [],
                    ({ } ready, null) => [ready.Id],
                    (null, { } pending) => [pending.Id],
                    ({ } ready, { } pending) => [ready.Id, pending.Id],
                };
            }
        }
    }

    /// <summary>
    /// Starts the pipeline's loop on the thread pool. Not a thread of its own: the loop awaits its work signal at once, and
    /// every preparation already runs on the pool after that await, so a dedicated thread would only be created to end there.
    /// </summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Asks for a spare if none is ready or under way (any thread; returns at once).</summary>
    public void Request()
    {
        lock (_lock)
        {
            _requested = _ready is null;
        }

        _work.Release();
    }

    /// <summary>
    /// The next segment for the writer (writer thread). The ready spare, renamed to its segment name (the rename made
    /// durable by the caller later) and passed to <paramref name="publish"/> before anyone else can see it gone from
    /// <see cref="ListedSpareIds"/>; or, while a spare is being prepared, that one once it is ready (its zero-filling is
    /// cut short); or null when none is ready or under way: <paramref name="inlineId"/> is then the id reserved for the
    /// segment the caller creates itself (every later spare gets a higher one).
    /// </summary>
    public Segment? Take(Action<Segment> publish, out uint inlineId)
    {
        bool waited = false;
        while (true)
        {
            lock (_lock)
            {
                if (_ready is { } spare)
                {
                    _ready = null;
                    Volatile.Write(ref _writerWaiting, 0);
                    _files.Rename(spare, SegmentHeader.FileName(spare.Id), syncDirectory: false);
                    publish(spare);
                    Interlocked.Increment(ref _taken);
                    NoteRotation();
                    _requested = true;
                    _work.Release(); // the next one at once, as etcd's pipeline does, without waiting to be asked
                    inlineId = 0;
                    return spare;
                }

                if (_pendingId == 0)
                {
                    Volatile.Write(ref _writerWaiting, 0);
                    NoteRotation();
                    inlineId = _nextId();
                    return null;
                }

                // A spare is being prepared with the next id: wait for it (creating another segment now would give the
                // writer a higher id first, and positions must grow in write order). Its zero-filling sees the writer
                // waiting and stops before the next chunk.
                _settled.Reset();
                Volatile.Write(ref _writerWaiting, 1);
                _hurry.Set();
                if (!waited)
                {
                    waited = true;
                    Interlocked.Increment(ref _waits);
                }
            }

            _settled.Wait();
        }
    }

    /// <summary>Completes once a spare is ready or no preparation is under way or asked for (tests that count file operations wait for it).</summary>
    public async Task WhenSettledAsync()
    {
        while (true)
        {
            lock (_lock)
            {
                if (_ready is not null || _stopping || (_pendingId == 0 && !_requested && !_verifying))
                {
                    return;
                }
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// For an erase (any thread, after the files kept for reuse were deleted): waits until no spare is being prepared, then
    /// zeroes everything after the header of the ready spare when it was made from a file kept for reuse: such a file
    /// keeps the records of the segment it was (they fail validation under the new salt, but their bytes are on disk),
    /// and those may be the erased ones. The pipeline's lock is held meanwhile, so a writer that rotates waits for it.
    /// </summary>
    public async Task ZeroRecycledReadySpareAsync()
    {
        await WhenSettledAsync().ConfigureAwait(false);
        lock (_lock)
        {
            if (_ready is { Header.IsRecycledFile: true } spare)
            {
                _files.ZeroAfterHeader(spare, static () => { });
            }
        }
    }

    /// <summary>
    /// Stops the thread: a preparation under way stops before its next chunk and its file is deleted; a check of an adopted
    /// spare stops, and the file is closed and no longer listed (the next open removes it: it holds nothing acknowledged).
    /// A ready spare stays.
    /// </summary>
    public async Task StopAsync()
    {
        lock (_lock)
        {
            _stopping = true;
        }

        _hurry.Set();
        _work.Release();
        await _loop.ConfigureAwait(false);
    }

    /// <summary>Closes the ready spare's file (the log is closing; the file stays, listed, for the next open).</summary>
    public void CloseFiles()
    {
        Segment? ready;
        lock (_lock)
        {
            ready = _ready;
            _ready = null;
        }

        ready?.Retire();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            await _work.WaitAsync().ConfigureAwait(false);
            bool verifying;
            bool needed;
            lock (_lock)
            {
                if (_stopping)
                {
                    return;
                }

                verifying = _verifying;
                needed = _ready is null;
                if (verifying || !needed)
                {
                    _requested = false; // else Prepare clears it once the preparation is under way
                }
            }

            try
            {
                if (_halted())
                {
                    lock (_lock)
                    {
                        _requested = false;
                    }

                    // A failed log writes nothing more (fsync is never retried, not even of another file). An adopted spare
                    // is given up unchecked, so a writer waiting for it creates a segment (and fails) instead.
                    if (verifying)
                    {
                        FinishVerification(null);
                    }
                }
                else if (verifying)
                {
                    VerifyAdopted();
                }
                else if (needed)
                {
                    Prepare();
                }
            }
            catch (OperationCanceledException)
            {
                return; // stopping: the file under way was deleted (or, adopted, left as it was)
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not fatal here: the writer creates the next segment itself when no spare is ready, and fails the log if
                // that fails too (for example a full disk).
                Interlocked.Increment(ref _failures);
                LogPreparationFailed(verifying ? "checking the spare recovery kept" : "preparing the next segment", ex);
            }
            finally
            {
                _settledCallback();
            }
        }
    }

    /// <summary>Creates the next spare, lists it, and makes it the ready one (pipeline thread).</summary>
    private void Prepare()
    {
        uint id;
        TimeSpan spread;
        lock (_lock)
        {
            _requested = false;
            if (_ready is not null || _pendingId != 0 || _stopping)
            {
                return;
            }

            id = _pendingId = _nextId();
            spread = ZeroFillPacing.ChunkBytes > 0 ? ZeroFillPacing.Spread(_expectedLifetime, ZeroFillPacing.SpreadPercent) : TimeSpan.Zero;
            _hurry.Reset();
        }

        try
        {
            // A recycled file is reused (not zeroed) only once no reader of its old segment holds it any more.
            string? recycled = _recycled.TryTakeReleased();
            long started = _time.GetTimestamp();
            var spare = _files.Create(id, SegmentHeader.FileName(id) + SegmentManager.SpareSuffix, recycled, (filled, total) => BeforeZeroChunk(filled, total, started, spread));
            lock (_lock)
            {
                _pending = spare;
            }

            try
            {
                // Listed as a spare before the writer can take it: a segment the writer writes into is always listed.
                _list();
            }
            catch
            {
                // Not listed (or not durably): never handed out. The file stays for recovery, which removes it unless a
                // manifest lists it; only its handle is closed here.
                lock (_lock)
                {
                    _pending = null;
                }

                spare.Retire();
                throw;
            }

            lock (_lock)
            {
                _ready = spare;
                _pending = null;
            }
        }
        finally
        {
            lock (_lock)
            {
                _pendingId = 0;
                _pending = null;
                _settled.Set();
            }
        }
    }

    /// <summary>
    /// Before each chunk of a new spare's zeros (pipeline thread): stops the filling when the writer waits for this spare
    /// (false), abandons it when the pipeline stops (throws), and otherwise waits, if ahead of the pace, until the chunk is
    /// due.
    /// </summary>
    private bool BeforeZeroChunk(long filled, long total, long started, TimeSpan spread)
    {
        while (true)
        {
            if (Volatile.Read(ref _stopping))
            {
                throw new OperationCanceledException("The spare pipeline is stopping.");
            }

            if (Volatile.Read(ref _writerWaiting) != 0)
            {
                // The writer caught up with this spare and waits for it: hand it over now. The rest stays preallocated (or
                // sparse) space, which reads as zeros like the zero-filled part, only slower to sync over.
                Interlocked.Increment(ref _zeroFillsCut);
                return false;
            }

            var delay = ZeroFillPacing.DelayBeforeChunk(filled, total, _time.GetElapsedTime(started), spread);
            if (delay <= TimeSpan.Zero)
            {
                return true;
            }

            _hurry.Wait(delay);
        }
    }

    /// <summary>Records a rotation's time; the interval between the last two is the lifetime the next spare's pacing expects (caller holds <c>_lock</c>).</summary>
    private void NoteRotation()
    {
        long now = _time.GetTimestamp();
        _expectedLifetime = _lastTakeTimestamp == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_lastTakeTimestamp, now);
        _lastTakeTimestamp = now;
    }

    [LoggerMessage(13, LogLevel.Warning, "Spare segment work failed while {Operation}; the log keeps running (the writer creates the next segment itself when no spare is ready)")]
    private partial void LogPreparationFailed(string operation, Exception exception);
}
