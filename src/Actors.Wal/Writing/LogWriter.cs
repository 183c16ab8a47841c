using System.Diagnostics;
using System.Runtime.CompilerServices;
using Actors.Wal.Diagnostics;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Segments;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Writing;

/// <summary>
/// The first stage of the write pipeline, run by the threads that enqueue (no thread of its own): takes every queued request, checks expected versions
/// against its own view of each stream, frames the records into the group's buffer (noting which run of it goes to which
/// segment and offset), and hands the group to the <see cref="Committer"/>, which writes the framed bytes of every group
/// waiting (one gather write per segment), syncs, publishes and acknowledges them while the writer frames the next groups.
/// Rotation seals the segment and switches to the spare the segment manager prepared: no file is created, synced or
/// renamed on the append path unless no spare is ready.
/// </summary>
/// <remarks>
/// <para>Who runs it: whoever enqueues a request drains the queue on its own thread unless another thread already does
/// (that one takes the new request too before it lets go): a combining hand-off, so a request reaches the committer
/// without waking a thread, and a cohort of callers coming back from the thread pool is framed by whichever of them
/// arrives first. One thread at a time holds the drain (<see cref="Drain"/>); "the writer" below is that thread. It may
/// block on the append path only where the writer thread did: waiting for a spare at rotation, for the committer at an
/// index demotion.</para>
/// <para>Ownership: the writer alone owns the active segment's framing position (<see cref="Segment.WrittenOffset"/>:
/// where the next record goes), the next LSN, the last timestamp, the group being framed and the per-stream tentative
/// states (<see cref="WriterStream"/>). It reads the published index only for streams it does not hold (whose published
/// state is then current: nothing of theirs is in flight).</para>
/// <para>The open group: what is framed stays in one group until the committer asks for it (<see cref="RequestGroup"/>,
/// when it is done with the previous commit), so everything framed during an fsync is the next commit, in one gather
/// write. Only a group that reaches <c>MaxBatchBytes</c>, a rotation and a demotion hand a group on by themselves.</para>
/// <para>Why (issue 37): when the writer thread wrote each group itself, a cohort of 256 callers coming back through the
/// thread pool reached the file in ~20-30 small writes per fsync, each a system call and a wake-up on the path.</para>
/// <para>Compiled fully optimized on first use: the methods every append runs (here, in <see cref="Committer"/>, the request
/// pool and queue, the record codec, the index entry's apply and <c>Crc32C</c>) carry
/// <see cref="MethodImplOptions.AggressiveOptimization"/>, so they skip the runtime's tier-0 and instrumented code and its
/// later recompilation, which on a saturated processor run first and compete with the appends (on one core a process's
/// first seconds appended at about 0.55 times the rate of the seconds after them: the run logs before issue 64, in git history. The
/// price is no profile-guided optimization of those methods, which measured neutral on 2 cores. The framing of
/// compaction's copies and the index look-ups they make carry it too (a process's first copy pass ran them unoptimized,
/// inside its appends' tail). Without profile-guided inlining, the codec's and checksum's small leaves
/// (the header's write, the payload's copy, the record's CRC) carry <see cref="MethodImplOptions.AggressiveInlining"/>.</para>
/// <para>Held streams are found by <see cref="WriterStreamKey"/>: the id with the hash its caller computed, so the look-up
/// on every append does not hash the id string again.</para>
/// </remarks>
internal sealed partial class LogWriter : IOpenGroupSource, IThreadPoolWorkItem
{
    private readonly HandOffQueue<LogRequest> _queue = new(static () => new CloseMarkerRequest());
    private readonly Dictionary<WriterStreamKey, WriterStream> _streams = new();
    private readonly IdleCopiesInFlight _idleCopies = new();
    private readonly byte[] _idleCopyId = new byte[StreamId.MaxByteLength]; // an idle copy's id in UTF-8 (no id is kept for it)
    private readonly Stack<CommitGroup> _freeGroups = new();
    private readonly FramingBuffers _grownBuffers;
    private readonly WriteAheadLogOptions _options;
    private readonly StreamIndex _index;
    private readonly SegmentManager _segments;
    private readonly Committer _committer;
    private readonly LogHealth _health;
    private readonly LogCounters _counters;
    private readonly WalInstruments _instruments;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<long, string, bool> _matchesOnDisk;
    private readonly long _maxRecordLength;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _used; // bytes of the group's buffer in closed spans
    private int _length; // bytes framed into the active segment after them, not yet in a span
    private CommitGroup _group;
    private Segment _active;
    private long _nextLsn;
    private long _lastTimestamp;
    private int _framedRecords; // stream records framed since the counters last heard of them (added once per drained chain)
    private string _operation = "write";
    private int _draining; // 1 while a thread drains the queue (the writer) or the committer takes the open group
    private int _finished; // 1 once the queue closed and drained
    private int _groupWanted; // 1 while the committer waits for the open group
    private volatile bool _groupOpen; // a hint for threads outside the drain: the open group holds something

    /// <summary>Creates the writer over the state recovery left; it runs on the threads that enqueue.</summary>
    public LogWriter(
        WriteAheadLogOptions options,
        StreamIndex index,
        SegmentManager segments,
        Committer committer,
        LogHealth health,
        LogCounters counters,
        WalInstruments instruments,
        TimeProvider time,
        ILogger logger,
        Func<long, string, bool> matchesOnDisk,
        Segment active,
        long nextLsn,
        long lastTimestamp)
    {
        _options = options;
        _index = index;
        _segments = segments;
        _committer = committer;
        _health = health;
        _counters = counters;
        _instruments = instruments;
        _time = time;
        _logger = logger;
        _matchesOnDisk = matchesOnDisk;
        _maxRecordLength = options.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize;
        _active = active;
        _nextLsn = nextLsn;
        _lastTimestamp = lastTimestamp;
        _group = new CommitGroup();
        _grownBuffers = new FramingBuffers(4L * Math.Max(options.MaxBatchBytes, CommitGroup.InitialBufferBytes));
    }

    /// <summary>The next LSN the writer assigns (a lower bound for every later record: spare headers use it).</summary>
    public long NextLsn => Volatile.Read(ref _nextLsn);

    /// <summary>The highest record timestamp written (UTC ticks; snapshots persist it).</summary>
    public long LastTimestamp => Volatile.Read(ref _lastTimestamp);

    /// <summary>
    /// Called by the writer (the thread holding the drain) after each rotation with the position just past the old segment's seal (the log asks
    /// maintenance for a snapshot, taken once everything up to that position is applied, and a space pass).
    /// </summary>
    public Action<long>? Rotated { get; set; }

    /// <summary>The segment the writer frames into.</summary>
    public Segment Active => Volatile.Read(ref _active);

    /// <summary>Completes when the writer stopped (the queue closed and everything queued was handed on).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Refuses further requests; what was queued is drained, then the committer's queue closes and the writer stops.</summary>
    public void Close()
    {
        _queue.Close();
        Drain();
    }

    /// <summary>Returns a group the committer is done with (committer thread).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ReturnGroup(CommitGroup group)
    {
        if (group.TakeGrownBuffer() is { } grown)
        {
            _grownBuffers.Give(grown);
        }

        group.Reset();
        lock (_freeGroups)
        {
            _freeGroups.Push(group);
        }
    }

    /// <summary>Frames every request of <paramref name="chain"/> into the open group (handing a group on whenever the next request would take it past MaxBatchBytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Process(LogRequest chain)
    {
        LogRequest? request = chain;
        LogRequest? rest = null; // the requests after the current one (detached from it): failed too if the current one throws
        try
        {
            if (_health.IsFailed || _health.IsAbandoned)
            {
                FailAll(request, _health.NewRefusal()); // not framed: nothing of them is written
                return;
            }

            MaybeDemote();
            _operation = "rotate";
            MaybeRotateByAge(chain);
            long now = NextTimestamp();
            while (request is not null)
            {
                rest = request.Next;
                request.Next = null;
                if (_group.Bytes + _length + request.FramedBytes > _options.MaxBatchBytes && (_length > 0 || _group.Requests.Count > 0))
                {
                    WriteGroup();
                }

                if (!request.TryTake())
                {
                    request.ReleaseByPipeline(); // cancelled before the writer took it: nothing is written
                }
                else
                {
                    Frame(request, now);
                }

                request = rest;
            }

            _groupOpen = _length > 0 || _group.Requests.Count > 0 || _group.Writes.Count > 0 || _group.ForceSync;
            CountFramedRecords();
        }
        catch (Exception ex)
        {
            var error = FailOpenGroup(ex);
            FailAll(request, error);
            if (!ReferenceEquals(rest, request))
            {
                FailAll(rest, error);
            }
        }
    }

    /// <summary>
    /// An error while framing, rotating or handing on leaves the outcome of the open group unknown: fails the log (never
    /// retried) and every request of the group; returns the error for the requests not framed yet.
    /// </summary>
    private Exception FailOpenGroup(Exception ex)
    {
        _health.EnterFailed(_operation, ex);
        var error = _health.NewError();
        foreach (var pending in _group.Requests)
        {
            pending.Fail(error);
            pending.ReleaseByPipeline();
        }

        _group.Reset();
        _used = 0;
        _length = 0;
        _groupOpen = false;
        CountFramedRecords();
        return error;
    }

    /// <summary>Frames one request into the group (or completes it when it is rejected: nothing of it is written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Frame(LogRequest request, long now)
    {
        _operation = "write";
        try
        {
            switch (request)
            {
                case StreamWriteRequest write:
                    FrameStreamWrite(write, now);
                    break;
                case RelocateRequest relocate:
                    FrameRelocation(relocate, now);
                    break;
                case FlushRequest:
                    // Everything written so far becomes durable: the active segment is synced even when this group adds
                    // no byte to it (earlier segments were synced when they were sealed).
                    _group.ForceSync = true;
                    NoteWrite(_active, _active.WrittenOffset + _length);
                    _group.Requests.Add(request);
                    break;
                case SealRequest seal:
                    if (seal.SegmentId == _active.Id && _active.WrittenOffset + _length > SegmentHeader.Size)
                    {
                        Rotate(); // the group is synced with the seal
                    }

                    _group.Requests.Add(request);
                    break;
                default:
                    _group.Requests.Add(request);
                    break;
            }
        }
        catch (WalException ex)
        {
            // A rejection (version conflict, range) or a damaged record met while resolving the stream: this request
            // fails, nothing of it was framed, the log is healthy.
            request.Fail(ex);
            request.ReleaseByPipeline();
        }
    }

    /// <summary>Closes the group's last span and hands the group to the committer (which writes and syncs it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteGroup()
    {
        _operation = "write";
        CloseSpan();
        if (_group.Requests.Count == 0 && _group.Writes.Count == 0 && !_group.ForceSync)
        {
            _groupOpen = false;
            return; // nothing to hand on (a seal written alone still goes: it must be synced before the next segment is used)
        }

        _group.LastLsn = _nextLsn - 1;
        _group.WrittenAt = Stopwatch.GetTimestamp();
        if (_group.Records > 0)
        {
            Interlocked.Increment(ref _counters.Commits);
            Interlocked.Add(ref _counters.AppendedBytes, _group.Bytes);
            _instruments.RecordCommit(_group.Requests.Count, _group.Bytes);
        }

        CountFramedRecords();
        var group = _group;
        _group = RentGroup();
        _used = 0;
        _groupOpen = false;
        _committer.Post(group);
    }

    /// <summary>
    /// Closes the bytes framed into the active segment into a span of the group (the committer writes it) and moves the
    /// segment's framing position past them.
    /// </summary>
    private void CloseSpan()
    {
        if (_length == 0)
        {
            return;
        }

        _health.ThrowIfAbandoned();
        var segment = _active;
        long offset = segment.WrittenOffset;
        _group.Spans.Add((segment, offset, _used, _length));
        segment.WrittenOffset = offset + _length;
        _group.Bytes += _length;
        NoteWrite(segment, offset + _length);
        _used += _length;
        _length = 0;
    }

    private void NoteWrite(Segment segment, long end)
    {
        var writes = _group.Writes;
        if (writes.Count > 0 && ReferenceEquals(writes[^1].Segment, segment))
        {
            writes[^1] = (segment, end);
        }
        else
        {
            writes.Add((segment, end));
        }
    }

    /// <summary>
    /// Adds the records framed since the last call to the log's counters: once per drained chain rather than per record
    /// (the counters' line is shared with the committer), and always before the drain is let go or a group handed on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CountFramedRecords()
    {
        if (_framedRecords > 0)
        {
            Interlocked.Add(ref _counters.AppendedRecords, _framedRecords);
            _framedRecords = 0;
        }
    }

    private CommitGroup RentGroup()
    {
        lock (_freeGroups)
        {
            if (_freeGroups.Count > 0)
            {
                return _freeGroups.Pop();
            }
        }

        return new CommitGroup();
    }

    private void FailAll(LogRequest? chain, Exception error)
    {
        for (var request = chain; request is not null;)
        {
            var next = request.Next;
            request.Next = null;
            request.Fail(error);
            request.ReleaseByPipeline();
            request = next;
        }
    }

    /// <summary>
    /// The timestamp for the records written now: the clock, but never below the last one written (a clock that goes
    /// back, e.g. an NTP step, must not break point-in-time reads). Restored at recovery.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long NextTimestamp()
    {
        long now = Math.Max(_lastTimestamp, _time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _lastTimestamp, now);
        return now;
    }

    [LoggerMessage(3, LogLevel.Debug, "Sealed segment {SegmentId} at {Bytes} bytes; writing to segment {NextSegmentId}")]
    private partial void LogRotated(uint segmentId, long bytes, uint nextSegmentId);

    [LoggerMessage(14, LogLevel.Debug, "Demoted {Streams} hot index entries (the index is back to 48 bytes per stream)")]
    private partial void LogDemoted(int streams);
}
