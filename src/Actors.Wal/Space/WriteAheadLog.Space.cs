using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Segments;
using Actors.Wal.Space;

namespace Actors.Wal;

/*
 * Space management. Every stream entry carries its live runs (StreamEntry: the bytes of its still-needed records per
 * segment); a record that supersedes all earlier ones (a checkpoint covering the stream's version, a tombstone, a
 * relocation copy) ends the runs, and SegmentSpaceTable keeps each segment's live bytes as the sum of the runs there.
 * A record of stream S in segment G is therefore live when it was written after S's last superseding record: the
 * base (checkpoint or tombstone) and every later record. A checkpoint below the stream's version supersedes nothing
 * (the events after it may have been written before it): conservative, it only keeps data longer.
 * With RetainCheckpointedEvents a checkpoint supersedes nothing at all: only deleted streams free space, and step 2
 * is skipped (a relocation copies only the base and the events after it, which would drop the history).
 * A pass runs on the writer loop after an fsync (so liveness is judged on durable records only). Before deleting,
 * it writes a fresh recovery snapshot, so no persisted index ever points into a deleted segment.
 *   1. delete sealed segments with no live bytes (keeping RetainSegmentCount newest and those younger than RetainMaxAge);
 *   2. compact sealed segments whose live ratio is below CompactionLiveRatio: each stream with live records there is
 *      copied forward as one Relocated record (its base plus the events after it, original versions, LSNs and
 *      timestamps), which starts a fresh back-pointer chain; after the fsync those segments are dead and deleted.
 */
public sealed partial class WriteAheadLog
{
    /// <summary>Recomputes the live bytes of every segment from the index entries' runs. Caller holds the state lock.</summary>
    private void RecomputeLiveBytes()
    {
        _space.Clear();
        foreach (int slot in _index.OccupiedSlots())
        {
            SegmentSpaceTable space = _space;
            _index.At(slot).ForEachRun(ref space, static (ref SegmentSpaceTable table, uint segment, long bytes) => table.AddLive(segment, bytes));
        }
    }

    /// <summary>The live bytes as maintained and as a full recomputation finds them (tests check they agree).</summary>
    internal (long Incremental, long Recomputed) CheckLiveBytes()
    {
        lock (_stateLock)
        {
            long incremental = _segments.Keys.Sum(_space.LiveBytes);
            RecomputeLiveBytes();
            return (incremental, _segments.Keys.Sum(_space.LiveBytes));
        }
    }

    /// <summary>Bytes of stream records in a segment (header and seal excluded): every byte between them is a record.</summary>
    private static long RecordBytes(Segment segment)
        => Math.Max(0, segment.WriteOffset - SegmentHeader.Size - (segment.IsSealed ? RecordHeader.SealSize : 0));

    /// <summary>One space-management pass on the writer loop. Everything written is durable when it starts.</summary>
    private CompactionResult RunSpacePass()
    {
        var (deleted, freed) = DeleteDeadSegments();
        int compacted = 0;
        int relocated = 0;
        if (_options.CompactionLiveRatio > 0 && !_options.RetainCheckpointedEvents)
        {
            (compacted, relocated) = CompactSegments();
            if (compacted > 0)
            {
                var (moreDeleted, moreFreed) = DeleteDeadSegments();
                deleted += moreDeleted;
                freed += moreFreed;
            }
        }

        if (deleted > 0 || compacted > 0)
        {
            LogSpacePass(deleted, compacted, relocated, freed);
        }

        return new CompactionResult(deleted, compacted, relocated, freed);
    }

    private List<Segment> ReclaimableSegments(Func<Segment, long, bool> predicate)
    {
        var now = _time.GetUtcNow();
        var candidates = new List<Segment>();
        lock (_stateLock)
        {
            var sealedSegments = _segments.Values.Where(s => s.IsSealed && s != _active).ToList();
            int retainFrom = Math.Max(0, sealedSegments.Count - _options.RetainSegmentCount);
            for (int i = 0; i < retainFrom; i++)
            {
                var segment = sealedSegments[i];
                if (_options.RetainMaxAge is { } maxAge && now - segment.CreatedAt < maxAge)
                {
                    continue;
                }

                if (predicate(segment, _space.LiveBytes(segment.Id)))
                {
                    candidates.Add(segment);
                }
            }
        }

        return candidates;
    }

    private (int Deleted, long Freed) DeleteDeadSegments()
    {
        var dead = ReclaimableSegments((_, live) => live <= 0);
        long freed = 0;
        if (dead.Count > 0)
        {
            // Persist an index that no longer points into these segments before deleting them: a snapshot taken
            // earlier may still reference them, and recovery verifies snapshot entries against their records.
            WriteSnapshot(clean: false);
            _snapshotDue = false;
        }

        if (dead.Count > 0)
        {
            // Then drop them from the live list before touching a file: a crash from here on leaves files that are
            // not live, which recovery removes, and never a live segment that is missing.
            lock (_stateLock)
            {
                foreach (var segment in dead)
                {
                    _segments.Remove(segment.Id);
                    _space.Remove(segment.Id);
                }
            }

            WriteManifest();
        }

        foreach (var segment in dead)
        {
            ThrowIfAbandoned();
            _fileSystem.DeleteFile(segment.Path);
            freed += segment.WriteOffset;
            segment.Retire();
            Interlocked.Increment(ref _segmentsDeleted);
        }

        if (dead.Count > 0)
        {
            _fileSystem.SyncDirectory(_options.Directory);
        }

        return (dead.Count, freed);
    }

    private (int Compacted, int Relocated) CompactSegments()
    {
        var sparse = ReclaimableSegments((segment, live) => live > 0 && live < RecordBytes(segment) * _options.CompactionLiveRatio);
        if (sparse.Count == 0)
        {
            return (0, 0);
        }

        // Bound the work of one pass (it runs on the writer loop): the sparsest segments first, about
        // MaxBatchBytes of live data per pass; the next pass continues.
        var streams = new List<StreamEntry>();
        lock (_stateLock)
        {
            sparse.Sort((a, b) => _space.LiveBytes(a.Id).CompareTo(_space.LiveBytes(b.Id)));
            long budget = 0;
            int take = 0;
            while (take < sparse.Count && (take == 0 || budget + _space.LiveBytes(sparse[take].Id) <= _options.MaxBatchBytes))
            {
                budget += _space.LiveBytes(sparse[take].Id);
                take++;
            }

            sparse.RemoveRange(take, sparse.Count - take);

            // The streams with live runs there: one pass over the index (off the append path once maintenance has
            // its own task; a copy of each entry, so later changes do not matter: the relocation checks them).
            var targets = sparse.Select(s => s.Id).ToHashSet();
            foreach (int slot in _index.OccupiedSlots())
            {
                ref readonly StreamEntry e = ref _index.At(slot);
                foreach (uint target in targets)
                {
                    if (e.HasRunIn(target))
                    {
                        streams.Add(e);
                        break;
                    }
                }
            }
        }

        _tentative.Clear();
        _pendingSpace.Clear();
        int relocated = 0;
        long now = NextTimestamp();
        var items = new List<RecordItem>();
        foreach (var entry in streams)
        {
            if (!TryCollectForRelocation(entry, items, out byte[] id))
            {
                continue;
            }

            long size = RecordCodec.RelocatedSize(id.Length, items);
            if (size > _maxRecordLength)
            {
                LogRelocationSkipped(System.Text.Encoding.UTF8.GetString(id), size);
                continue;
            }

            long position = Reserve((int)size);
            RecordCodec.WriteRelocated(_buffer.AsSpan(_bufferLength), id, entry.Version, now, items);
            _bufferLength += (int)size;
            var updated = entry;
            updated.Apply(RecordType.Relocated, position, (int)size, entry.Version, (items[0].Kind, items[0].Version), retainEvents: false, _pendingSpace);
            string streamId = System.Text.Encoding.UTF8.GetString(id);
            _tentative[streamId] = updated;
            relocated++;
        }

        WriteBuffer();
        if (relocated > 0)
        {
            Fsync(_active!);
        }

        ApplyTentative();
        _tentative.Clear();
        Interlocked.Add(ref _segmentsCompacted, sparse.Count);
        return (sparse.Count, relocated);
    }

    /// <summary>
    /// Reads the stream's live items for relocation. A damaged record on the way is not a reason to fail the log
    /// (nothing was written; EnterFailed is for write, fsync, rename and create errors): the stream is skipped, so its
    /// records and segments stay where they are, and the damage is logged and counted. Reads report it to callers.
    /// </summary>
    private bool TryCollectForRelocation(in StreamEntry entry, List<RecordItem> items, out byte[] id)
    {
        id = [];
        try
        {
            var latest = ReadRecordUnchecked(entry.LatestPosition);
            if (latest is not { } head)
            {
                return false;
            }

            id = head.Bytes.Span.Slice(RecordHeader.Size, head.Header.StreamIdLength).ToArray();
            return CollectLiveItems(entry, id, items);
        }
        catch (LogCorruptedException ex)
        {
            Interlocked.Increment(ref _corruptRecordsSkipped);
            LogCorruptRecordSkipped(ex.Message, ex);
            return false;
        }
    }

    /// <summary>The stream's live items in relocation order: the base (checkpoint or tombstone) first, then events ascending.</summary>
    private bool CollectLiveItems(in StreamEntry entry, byte[] id, List<RecordItem> output)
    {
        output.Clear();
        var items = new List<RecordItem>();
        var events = new List<RecordItem>();
        RecordItem? baseItem = null;
        bool hasBase = entry.HasBase;
        long position = entry.LatestPosition;
        bool done = false;
        while (!done && position != LogPosition.None)
        {
            var record = ReadRecord(position, id);
            if (record is null)
            {
                return false;
            }

            DecodeItems(record.Value, items);
            for (int i = items.Count - 1; i >= 0 && !done; i--)
            {
                var item = items[i];
                if (item.Kind == RecordType.Events)
                {
                    if (hasBase && item.Version <= entry.BaseVersion)
                    {
                        done = true;
                    }
                    else
                    {
                        events.Add(item);
                    }
                }
                else if (hasBase && baseItem is null && item.Version == entry.BaseVersion
                    && (item.Kind == RecordType.Tombstone) == entry.BaseIsTombstone)
                {
                    baseItem = item;
                    done = item.Kind == RecordType.Tombstone
                        || (events.Count > 0 ? events[^1].Version == item.Version + 1 : item.Version >= entry.Version);
                }
            }

            position = NextBackPointer(record.Value, position);
        }

        if (hasBase && baseItem is null)
        {
            return false;
        }

        if (baseItem is { } b)
        {
            output.Add(b);
        }

        events.Reverse();
        output.AddRange(events);
        return output.Count > 0;
    }
}
