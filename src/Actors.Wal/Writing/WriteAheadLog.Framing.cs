using System.Buffers;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Writing;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
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
        entry.Apply(RecordType.Events, position, a.Framed, lastVersion, default, _options.RetainCheckpointedEvents, _pendingSpace);
        _tentative[a.StreamId] = entry;
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

        bool baseIsTombstone = entry.BaseIsTombstone;
        long minimum = baseIsTombstone ? entry.BaseVersion + 1 : Math.Max(1, entry.CheckpointVersion);
        if (c.Version > entry.Version || c.Version < minimum)
        {
            c.Fail(new CheckpointVersionOutOfRangeException(
                c.StreamId,
                c.Version,
                minimum,
                entry.Version,
                c.Version > entry.Version ? $"the stream is at version {entry.Version}"
                    : baseIsTombstone ? $"it was deleted at version {entry.BaseVersion}"
                    : $"its latest checkpoint covers version {entry.CheckpointVersion}"));
            return false;
        }

        long position = Reserve(c.Framed);
        long lsn = _nextLsn++;
        RecordCodec.WriteCheckpoint(_buffer.AsSpan(_bufferLength), c.StreamIdUtf8, lsn, c.Version, now, entry.LatestPosition, c.State.Span);
        _bufferLength += c.Framed;
        entry.Apply(RecordType.Checkpoint, position, c.Framed, c.Version, default, _options.RetainCheckpointedEvents, _pendingSpace);
        _tentative[c.StreamId] = entry;
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
        entry.Apply(RecordType.Tombstone, position, d.Framed, current, default, _options.RetainCheckpointedEvents, _pendingSpace);
        _tentative[d.StreamId] = entry;
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
}
