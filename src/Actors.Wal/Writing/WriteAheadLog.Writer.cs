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
    private readonly List<(uint Segment, ulong Hash, long MaxEventVersion, long Bytes)> _summaryAdds = [];
    private readonly List<Completion> _completions = [];
    private readonly List<WriteRequest> _sideRequests = [];
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _bufferLength;
    private string _operation = "write";
    private bool _snapshotDue;
    private int _backgroundFlushQueued;
    private int _backgroundSpaceQueued;

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
        _summaryAdds.Clear();
        _completions.Clear();
        _sideRequests.Clear();
        bool flushRequested = false;
        bool spaceRequested = false;
        int groupBatches = 0;
        try
        {
            _operation = "rotate";
            MaybeRotateByAge(group);
            long now = _time.GetUtcNow().UtcTicks;
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

    private bool FrameAppend(AppendRequest a, long now)
    {
        if (!TryLookupForWrite(a, out var entry))
        {
            return false;
        }

        long current = entry.Version;
        if (a.ExpectedVersion != ExpectedVersion.Any && a.ExpectedVersion != current)
        {
            a.Fail(new StreamVersionConflictException(a.StreamId, a.ExpectedVersion, current));
            return false;
        }

        long position = Reserve(a.Framed);
        long firstLsn = _nextLsn;
        _nextLsn += a.Events.Count;
        long firstVersion = current + 1;
        long lastVersion = current + a.Events.Count;
        RecordCodec.WriteEvents(_buffer.AsSpan(_bufferLength), a.StreamIdUtf8, firstLsn, firstVersion, now, entry.LatestPosition, a.Events);
        _bufferLength += a.Framed;
        entry.Apply(RecordType.Events, position, lastVersion, false, false, 0);
        _tentative[a.StreamId] = entry;
        _summaryAdds.Add((LogPosition.Segment(position), a.Hash, lastVersion, a.Framed));
        _completions.Add(new Completion(a, firstVersion, lastVersion, _nextLsn - 1));
        Interlocked.Add(ref _appendedRecords, a.Events.Count);
        return true;
    }

    private bool FrameCheckpoint(CheckpointRequest c, long now)
    {
        if (!TryLookupForWrite(c, out var entry))
        {
            return false;
        }

        bool baseIsTombstone = (entry.Flags & StreamEntry.BaseIsTombstoneFlag) != 0 && entry.BasePosition != LogPosition.None;
        long minimum = baseIsTombstone ? entry.BaseVersion + 1 : Math.Max(1, entry.CheckpointVersion);
        if (c.Version > entry.Version || c.Version < minimum)
        {
            c.Fail(new ArgumentOutOfRangeException(
                "version",
                c.Version,
                $"A checkpoint of stream '{c.StreamId}' must cover a version in [{minimum}, {entry.Version}] (the stream's latest checkpoint or deletion up to its current version). Nothing was written."));
            return false;
        }

        long position = Reserve(c.Framed);
        long lsn = _nextLsn++;
        RecordCodec.WriteCheckpoint(_buffer.AsSpan(_bufferLength), c.StreamIdUtf8, lsn, c.Version, now, entry.LatestPosition, c.State.Span);
        _bufferLength += c.Framed;
        entry.Apply(RecordType.Checkpoint, position, c.Version, false, false, 0);
        _tentative[c.StreamId] = entry;
        _summaryAdds.Add((LogPosition.Segment(position), c.Hash, 0, c.Framed));
        _completions.Add(new Completion(c, c.Version, c.Version, lsn));
        Interlocked.Increment(ref _appendedRecords);
        return true;
    }

    private bool FrameDelete(DeleteRequest d, long now)
    {
        if (!TryLookupForWrite(d, out var entry))
        {
            return false;
        }

        long current = entry.Version;
        if (d.ExpectedVersion != ExpectedVersion.Any && d.ExpectedVersion != current)
        {
            d.Fail(new StreamVersionConflictException(d.StreamId, d.ExpectedVersion, current));
            return false;
        }

        long position = Reserve(d.Framed);
        long lsn = _nextLsn++;
        RecordCodec.WriteTombstone(_buffer.AsSpan(_bufferLength), d.StreamIdUtf8, lsn, current, now, entry.LatestPosition);
        _bufferLength += d.Framed;
        entry.Apply(RecordType.Tombstone, position, current, false, false, 0);
        _tentative[d.StreamId] = entry;
        _summaryAdds.Add((LogPosition.Segment(position), d.Hash, 0, d.Framed));
        _completions.Add(new Completion(d, current, current, lsn));
        Interlocked.Increment(ref _appendedRecords);
        return true;
    }

    private bool TryLookupForWrite<T>(StreamWriteRequest<T> request, out StreamEntry entry)
    {
        if (_tentative.TryGetValue(request.StreamId, out entry))
        {
            return true;
        }

        try
        {
            lock (_stateLock)
            {
                int slot = _index.Find(request.Hash, request.StreamId, MatchesOnDisk);
                entry = slot >= 0 ? _index.At(slot) : StreamEntry.CreateNew(request.Hash);
            }

            return true;
        }
        catch (WalException ex)
        {
            request.Fail(ex);
            return false;
        }
    }

    private long Reserve(int length)
    {
        var segment = _active!;
        long offset = segment.WriteOffset + _bufferLength;
        if (offset + length > _options.SegmentSizeBytes - RecordHeader.SealSize)
        {
            Rotate();
            segment = _active!;
            offset = segment.WriteOffset + _bufferLength;
        }

        EnsureBuffer(_bufferLength + length);
        return LogPosition.Create(segment.Id, offset);
    }

    private void EnsureBuffer(int size)
    {
        if (_buffer.Length >= size)
        {
            return;
        }

        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(size, _buffer.Length * 2));
        _buffer.AsSpan(0, _bufferLength).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private void WriteBuffer()
    {
        if (_bufferLength == 0)
        {
            return;
        }

        ThrowIfAbandoned();
        var segment = _active!;
        segment.File.Write(segment.WriteOffset, _buffer.AsSpan(0, _bufferLength));
        segment.WriteOffset += _bufferLength;
        _bufferLength = 0;
    }

    private void Fsync(Segment segment)
    {
        ThrowIfAbandoned();
        long start = _time.GetTimestamp();
        segment.File.Flush();
        Interlocked.Increment(ref _fsyncs);
        _instruments.RecordFsync(_time.GetElapsedTime(start));
    }

    private void ThrowIfAbandoned()
    {
        if (_abandoned)
        {
            throw new IOException("The log was abandoned (simulated crash); nothing more is written.");
        }
    }

    private void MaybeRotateByAge(List<WriteRequest> group)
    {
        if (_options.SegmentMaxAge is not { } maxAge || _active is null || _active.WriteOffset <= SegmentHeader.Size)
        {
            return;
        }

        if (_time.GetUtcNow() - _active.CreatedAt >= maxAge && group.Exists(r => r.FramedBytes > 0))
        {
            Rotate();
        }
    }

    /// <summary>Seals the active segment (seal record, fsync) and starts the next one (create, header, fsync file and directory).</summary>
    private void Rotate()
    {
        var old = _active!;
        EnsureBuffer(_bufferLength + RecordHeader.SealSize);
        RecordCodec.WriteSeal(_buffer.AsSpan(_bufferLength), _time.GetUtcNow().UtcTicks);
        _bufferLength += RecordHeader.SealSize;
        WriteBuffer();
        Fsync(old);
        old.IsSealed = true;
        lock (_stateLock)
        {
            if (_summaries.TryGetValue(old.Id, out var sealedSummary))
            {
                sealedSummary.Freeze();
            }
        }

        CreateSegment(old.Id + 1, _nextLsn);
        _snapshotDue = true;
        LogRotated(old.Id, old.WriteOffset, _active!.Id);
    }

    private void CreateSegment(uint id, long baseLsn)
    {
        ThrowIfAbandoned();
        string path = Path.Combine(_options.Directory, SegmentHeader.FileName(id));
        var header = new SegmentHeader(id, baseLsn, _time.GetUtcNow().UtcTicks, _options.SegmentSizeBytes);
        var file = _fileSystem.OpenFile(path, WalFileMode.CreateNew, _options.PreallocateSegments ? _options.SegmentSizeBytes : 0);
        try
        {
            Span<byte> bytes = stackalloc byte[SegmentHeader.Size];
            header.Write(bytes);
            file.Write(0, bytes);
            file.Flush();
            Interlocked.Increment(ref _fsyncs);
            _fileSystem.SyncDirectory(_options.Directory);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        var segment = new Segment(header, path, file, SegmentHeader.Size, isSealed: false);
        lock (_stateLock)
        {
            _segments[id] = segment;
            _summaries[id] = new SegmentSummary();
        }

        _active = segment;
    }

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

            foreach (var (segment, hash, maxVersion, bytes) in _summaryAdds)
            {
                if (_summaries.TryGetValue(segment, out var summary))
                {
                    summary.Add(hash, maxVersion, bytes);
                }
            }
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
        if (Interlocked.Exchange(ref _backgroundFlushQueued, 1) == 0 && !TryQueue(new FlushRequest()))
        {
            Interlocked.Exchange(ref _backgroundFlushQueued, 0);
        }
    }

    private void QueueBackgroundSpacePass()
    {
        if (Interlocked.Exchange(ref _backgroundSpaceQueued, 1) == 0 && !TryQueue(new SpaceRequest()))
        {
            Interlocked.Exchange(ref _backgroundSpaceQueued, 0);
        }
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
