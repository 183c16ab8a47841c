using System.Buffers;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Segments;
using Actors.Wal.Space;
using Actors.Wal.Writing;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    // Writer-owned state (touched only by the writer loop).
    private readonly Dictionary<string, StreamEntry> _tentative = new(StringComparer.Ordinal);
    private readonly SpaceDeltas _pendingSpace = new();
    private readonly List<Completion> _completions = [];
    private readonly List<WriteRequest> _sideRequests = [];
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _bufferLength;
    private string _operation = "write";
    private bool _snapshotDue;
    private int _backgroundFlushQueued;
    private int _backgroundSpaceQueued;
    private long _lastTimestamp;

    private async Task WriterLoopAsync()
    {
        var reader = _queue.Reader;
        var group = new List<WriteRequest>();
        WriteRequest? carry = null;
        while (true)
        {
            if (carry is null)
            {
                if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    break;
                }

                if (_commitPolicy.Linger > TimeSpan.Zero)
                {
                    await Task.Delay(_commitPolicy.Linger, _time).ConfigureAwait(false);
                }
            }

            group.Clear();
            long bytes = 0;
            if (carry is not null)
            {
                group.Add(carry);
                bytes = carry.FramedBytes;
                carry = null;
            }

            while (reader.TryRead(out var request))
            {
                if (group.Count > 0 && _commitPolicy.IsFull(bytes + request.FramedBytes, group.Count + 1))
                {
                    carry = request;
                    break;
                }

                group.Add(request);
                bytes += request.FramedBytes;
            }

            Interlocked.Add(ref _pendingRequests, -group.Count);
            ProcessGroup(group);
        }

        Shutdown();
    }

    private void ProcessGroup(List<WriteRequest> group)
    {
        if (Volatile.Read(ref _failure) is not null || _abandoned)
        {
            var error = _abandoned && _failure is null
                ? new LogFailedException(_options.Directory, "abandon", new IOException("The log was abandoned (simulated crash)."))
                : NewFailure();
            foreach (var request in group)
            {
                request.Fail(error);
            }

            return;
        }

        _tentative.Clear();
        _pendingSpace.Clear();
        _completions.Clear();
        _sideRequests.Clear();
        bool flushRequested = false;
        bool spaceRequested = false;
        int groupBatches = 0;
        try
        {
            _operation = "rotate";
            MaybeRotateByAge(group);
            long now = NextTimestamp();
            foreach (var request in group)
            {
                switch (request)
                {
                    case AppendRequest a:
                        groupBatches += FrameAppend(a, now) ? 1 : 0;
                        break;
                    case CheckpointRequest c:
                        groupBatches += FrameCheckpoint(c, now) ? 1 : 0;
                        break;
                    case DeleteRequest d:
                        groupBatches += FrameDelete(d, now) ? 1 : 0;
                        break;
                    case FlushRequest f:
                        flushRequested = true;
                        _sideRequests.Add(f);
                        break;
                    case SpaceRequest s:
                        spaceRequested = true;
                        _sideRequests.Add(s);
                        break;
                    default:
                        break;
                }
            }

            _operation = "write";
            long written = _bufferLength;
            WriteBuffer();
            long lastLsn = _nextLsn - 1;
            bool wroteRecords = groupBatches > 0;
            if (wroteRecords)
            {
                Volatile.Write(ref _writtenLsn, lastLsn);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _appendedBytes, written);
                _instruments.RecordCommit(groupBatches, written);
            }

            bool needSync = (wroteRecords && _options.SyncPolicy == SyncPolicy.Always)
                || ((flushRequested || spaceRequested || _snapshotDue) && DurableLsn < WrittenLsn);
            if (needSync)
            {
                _operation = "fsync";
                Fsync(_active!);
                Volatile.Write(ref _durableLsn, WrittenLsn);
            }

            ApplyTentative();
            foreach (var completion in _completions)
            {
                completion.Complete();
            }

            if (_snapshotDue)
            {
                _operation = "snapshot";
                WriteSnapshot(clean: false);
                _snapshotDue = false;
                QueueBackgroundSpacePass();
            }

            foreach (var side in _sideRequests)
            {
                if (side is FlushRequest flush)
                {
                    Interlocked.Exchange(ref _backgroundFlushQueued, 0);
                    flush.Complete(true);
                }
                else if (side is SpaceRequest space)
                {
                    Interlocked.Exchange(ref _backgroundSpaceQueued, 0);
                    _operation = "space management";
                    space.Complete(RunSpacePass());
                }
            }
        }
        catch (Exception ex)
        {
            // Any error after framing started leaves the outcome of the group unknown: fail the log (never retry).
            EnterFailed(_operation, ex);
            var error = NewFailure();
            foreach (var request in group)
            {
                request.Fail(error);
            }
        }
        finally
        {
            _bufferLength = 0;
        }
    }

    /// <summary>
    /// The timestamp for the records written now: the clock, but never below the last one written (a clock that goes
    /// back, e.g. an NTP step, must not break point-in-time reads). Restored at recovery. Writer loop only.
    /// </summary>
    private long NextTimestamp()
    {
        _lastTimestamp = Math.Max(_lastTimestamp, _time.GetUtcNow().UtcTicks);
        return _lastTimestamp;
    }

    /// <summary>Publishes the group's index entries and live-byte changes (after the group is durable or written, per the sync policy).</summary>
    private void ApplyTentative()
    {
        lock (_stateLock)
        {
            foreach (var (id, entry) in _tentative)
            {
                int slot = _index.Find(entry.Hash, id, MatchesOnDisk);
                if (slot < 0)
                {
                    _index.Add(entry, id);
                }
                else
                {
                    _index.At(slot) = entry;
                }
            }

            _pendingSpace.ApplyTo(_space);
            _pendingSpace.Clear();
        }
    }

    private void EnterFailed(string operation, Exception exception)
    {
        var failure = new LogFailedException(_options.Directory, operation, exception);
        if (Interlocked.CompareExchange(ref _failure, failure, null) is null)
        {
            LogFailed(operation, exception);
        }
    }

    private void RequestBackgroundFlush()
    {
        if (Interlocked.Exchange(ref _backgroundFlushQueued, 1) == 0 && !TryQueue(Observed(new FlushRequest())))
        {
            Interlocked.Exchange(ref _backgroundFlushQueued, 0);
        }
    }

    private void QueueBackgroundSpacePass()
    {
        if (Interlocked.Exchange(ref _backgroundSpaceQueued, 1) == 0 && !TryQueue(Observed(new SpaceRequest())))
        {
            Interlocked.Exchange(ref _backgroundSpaceQueued, 0);
        }
    }

    /// <summary>
    /// Observes the outcome of a request nobody awaits (background flush or space pass), so a failure never surfaces
    /// as an unobserved task exception; the failure itself is already logged and kept in <see cref="IsFailed"/>.
    /// </summary>
    private static WriteRequest<T> Observed<T>(WriteRequest<T> request)
    {
        _ = request.Task.ContinueWith(
            static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return request;
    }

    /// <summary>After the queue closed: final fsync and clean-shutdown snapshot (unless abandoned or failed).</summary>
    private void Shutdown()
    {
        try
        {
            if (!_abandoned && Volatile.Read(ref _failure) is null && _active is not null)
            {
                _operation = "close";
                if (DurableLsn < WrittenLsn)
                {
                    Fsync(_active);
                    Volatile.Write(ref _durableLsn, WrittenLsn);
                }

                WriteSnapshot(clean: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            EnterFailed(_operation, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private readonly struct Completion(WriteRequest request, long first, long last, long lsn)
    {
        public void Complete()
        {
            switch (request)
            {
                case CheckpointRequest c:
                    c.Complete(new CheckpointResult(last, lsn));
                    break;
                case WriteRequest<AppendResult> a:
                    a.Complete(new AppendResult(first, last, lsn));
                    break;
                default:
                    break;
            }
        }
    }
}
