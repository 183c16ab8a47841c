using System.Buffers;
using System.Diagnostics;
using Actors.Wal.Diagnostics;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Segments;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Writing;

/// <summary>
/// The first stage of the write pipeline, on its own thread: takes every queued request, checks expected versions
/// against its own view of each stream, frames the records into one buffer, writes it with one call per segment, and
/// hands the group to the <see cref="Committer"/>, which syncs, publishes and acknowledges it while the writer goes on
/// with the next group. Rotation seals the segment and switches to the spare the segment manager prepared: no file is
/// created, synced or renamed on the append path unless no spare is ready.
/// </summary>
/// <remarks>
/// Ownership: the writer thread alone owns the active segment's write position, the next LSN, the last timestamp, the
/// framing buffer and the per-stream tentative states (<see cref="WriterStream"/>). It reads the published index only
/// for streams it does not hold (whose published state is then current: nothing of theirs is in flight).
/// </remarks>
internal sealed partial class LogWriter
{
    private readonly HandOffQueue<LogRequest> _queue = new(static () => new CloseMarkerRequest());
    private readonly Dictionary<string, WriterStream> _streams = new(StringComparer.Ordinal);
    private readonly Stack<CommitGroup> _freeGroups = new();
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
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _length;
    private CommitGroup _group;
    private Segment _active;
    private long _nextLsn;
    private long _lastTimestamp;
    private long _writtenLsn;
    private string _operation = "write";

    /// <summary>Creates the writer over the state recovery left; <see cref="Start"/> starts its thread.</summary>
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
        _writtenLsn = nextLsn - 1;
        _group = new CommitGroup();
        _thread = new Thread(Run) { IsBackground = true, Name = "Actors.Wal writer" };
    }

    /// <summary>The LSN of the last record handed to the operating system.</summary>
    public long WrittenLsn => Volatile.Read(ref _writtenLsn);

    /// <summary>The next LSN the writer assigns (a lower bound for every later record: spare headers use it).</summary>
    public long NextLsn => Volatile.Read(ref _nextLsn);

    /// <summary>The highest record timestamp written (UTC ticks; snapshots persist it).</summary>
    public long LastTimestamp => Volatile.Read(ref _lastTimestamp);

    /// <summary>
    /// Called on the writer thread after each rotation with the position just past the old segment's seal (the log asks
    /// maintenance for a snapshot, taken once everything up to that position is applied, and a space pass).
    /// </summary>
    public Action<long>? Rotated { get; set; }

    /// <summary>The segment the writer writes into.</summary>
    public Segment Active => Volatile.Read(ref _active);

    /// <summary>Requests queued and not yet taken.</summary>
    public int Pending => _queue.Pending;

    /// <summary>Completes when the writer thread stopped (the queue closed and everything queued was handed on).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Starts the writer thread.</summary>
    public void Start() => _thread.Start();

    /// <summary>Queues a request; false when the log is closing (nothing was queued). Any thread.</summary>
    public bool TryEnqueue(LogRequest request) => _queue.TryEnqueue(request);

    /// <summary>Refuses further requests; the writer drains what was queued, closes the committer's queue and stops.</summary>
    public void Close() => _queue.Close();

    /// <summary>Returns a group the committer is done with (committer thread).</summary>
    public void ReturnGroup(CommitGroup group)
    {
        group.Reset();
        lock (_freeGroups)
        {
            _freeGroups.Push(group);
        }
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                var chain = _queue.TakeAll(out bool closed);
                if (chain is null)
                {
                    if (closed)
                    {
                        break;
                    }

                    _queue.WaitForWork();
                    continue;
                }

                Process(chain);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _committer.Close();
            _stopped.TrySetResult();
        }
    }

    /// <summary>Frames, writes and hands on every request of <paramref name="chain"/>, in groups of at most MaxBatchBytes.</summary>
    private void Process(LogRequest chain)
    {
        LogRequest? request = chain;
        LogRequest? rest = null; // the requests after the current one (detached from it): failed too if the current one throws
        try
        {
            if (_health.IsFailed || _health.IsAbandoned)
            {
                FailAll(request, _health.NewError());
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

            WriteGroup();
        }
        catch (Exception ex)
        {
            // An error while writing or rotating leaves the outcome of the group unknown: fail the log (never retry).
            _health.EnterFailed(_operation, ex);
            var error = _health.NewError();
            foreach (var pending in _group.Requests)
            {
                pending.Fail(error);
                pending.ReleaseByPipeline();
            }

            _group.Reset();
            _length = 0;
            FailAll(request, error);
            if (!ReferenceEquals(rest, request))
            {
                FailAll(rest, error);
            }
        }
    }

    /// <summary>Frames one request into the group (or completes it when it is rejected: nothing of it is written).</summary>
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

    /// <summary>Writes the framed buffer into the active segment and hands the group to the committer.</summary>
    private void WriteGroup()
    {
        _operation = "write";
        WriteBuffer();
        if (_group.Requests.Count == 0 && _group.Writes.Count == 0 && !_group.ForceSync)
        {
            return; // nothing to hand on (a seal written alone still goes: it must be synced before the next segment is used)
        }

        _group.LastLsn = _nextLsn - 1;
        _group.WrittenAt = Stopwatch.GetTimestamp();
        if (_group.Records > 0)
        {
            Volatile.Write(ref _writtenLsn, _group.LastLsn);
            Interlocked.Increment(ref _counters.Commits);
            Interlocked.Add(ref _counters.AppendedBytes, _group.Bytes);
            _instruments.RecordCommit(_group.Requests.Count, _group.Bytes);
        }

        var group = _group;
        _group = RentGroup();
        _committer.Post(group);
    }

    /// <summary>Writes the framed bytes into the active segment (one call) and notes where the group ends there.</summary>
    private void WriteBuffer()
    {
        if (_length == 0)
        {
            return;
        }

        _health.ThrowIfAbandoned();
        var segment = _active;
        long offset = segment.WrittenOffset;
        segment.File.Write(offset, _buffer.AsSpan(0, _length));
        segment.WrittenOffset = offset + _length;
        _group.Bytes += _length;
        NoteWrite(segment, offset + _length);
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
