using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Segments;
using Actors.Wal.Space;

namespace Actors.Wal;

/*
 * Space management. A record of stream S in segment G is live when
 *   - G >= S.ChainMinSegment (records in older segments are superseded: a checkpoint covering every version, a
 *     tombstone, or a relocation copy came later), and
 *   - it holds an event above S's base version (latest checkpoint or tombstone), or it is S's base record, or S's
 *     latest record.
 * Per segment, a summary keeps per stream hash the highest event version and the bytes, so liveness needs no disk
 * read. Hash collisions merge summary items and a stream hash with several index entries is live when any entry
 * says so: collisions can only keep data longer, never delete it early.
 * With RetainCheckpointedEvents a checkpoint supersedes nothing (StreamEntry.Apply keeps ChainMinSegment) and every
 * record from ChainMinSegment on is live unless the stream's base is a tombstone: superseded checkpoints stay too, as
 * links of the back-pointer chain that reads walk to reach the oldest events. Only deleted streams are reclaimed, and
 * step 2 is skipped (a relocation copies only the base and the events after it, which would drop the history).
 * A pass runs on the writer loop after an fsync (so liveness is judged on durable records only). Before deleting,
 * it writes a fresh recovery snapshot, so no persisted index ever points into a deleted segment.
 *   1. delete sealed segments with no live bytes (keeping RetainSegmentCount newest and those younger than RetainMaxAge);
 *   2. compact sealed segments whose live ratio is below CompactionLiveRatio: each stream with live records there is
 *      copied forward as one Relocated record (its base plus the events after it, original versions, LSNs and
 *      timestamps), which starts a fresh back-pointer chain; after the fsync those segments are dead and deleted.
 */
public sealed partial class WriteAheadLog
{
    private readonly List<int> _slotScratch = [];

    /// <summary>Recomputes <see cref="SegmentSummary.LiveBytes"/> of every segment. Caller holds the state lock.</summary>
    private void ComputeLiveBytes()
    {
        foreach (var (id, summary) in _summaries)
        {
            long live = 0;
            foreach (var (hash, item) in summary.Entries())
            {
                if (IsLive(hash, item, id))
                {
                    live += item.Bytes;
                }
            }

            summary.LiveBytes = live;
        }
    }

    private bool IsLive(ulong hash, SummaryItem item, uint segmentId)
    {
        _slotScratch.Clear();
        _index.CollectSlots(hash, _slotScratch);
        if (_slotScratch.Count == 0)
        {
            return true;
        }

        foreach (int slot in _slotScratch)
        {
            ref readonly StreamEntry e = ref _index.At(slot);
            if (IsLiveFor(e, item, segmentId, _options.RetainCheckpointedEvents))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLiveFor(in StreamEntry e, SummaryItem item, uint segmentId, bool retainEvents)
    {
        if (segmentId < e.ChainMinSegment)
        {
            return false;
        }

        if (retainEvents && (e.Flags & StreamEntry.BaseIsTombstoneFlag) == 0)
        {
            // Every record from the chain's oldest segment on is a link of the back-pointer chain to the oldest event.
            return true;
        }

        long baseVersion = e.BasePosition == LogPosition.None ? 0 : e.BaseVersion;
        return item.MaxEventVersion > baseVersion
            || (e.BasePosition != LogPosition.None && LogPosition.Segment(e.BasePosition) == segmentId)
            || LogPosition.Segment(e.LatestPosition) == segmentId;
    }

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

    private List<Segment> ReclaimableSegments(Func<Segment, SegmentSummary, bool> predicate)
    {
        var now = _time.GetUtcNow();
        var candidates = new List<Segment>();
        lock (_stateLock)
        {
            ComputeLiveBytes();
            var sealedSegments = _segments.Values.Where(s => s.IsSealed && s != _active).ToList();
            int retainFrom = Math.Max(0, sealedSegments.Count - _options.RetainSegmentCount);
            for (int i = 0; i < retainFrom; i++)
            {
                var segment = sealedSegments[i];
                if (_options.RetainMaxAge is { } maxAge && now - segment.CreatedAt < maxAge)
                {
                    continue;
                }

                if (_summaries.TryGetValue(segment.Id, out var summary) && predicate(segment, summary))
                {
                    candidates.Add(segment);
                }
            }
        }

        return candidates;
    }

    private (int Deleted, long Freed) DeleteDeadSegments()
    {
        var dead = ReclaimableSegments((_, summary) => summary.LiveBytes == 0);
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
                    _summaries.Remove(segment.Id);
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
        var sparse = ReclaimableSegments((_, summary) => summary.LiveBytes > 0
            && summary.LiveBytes < summary.RecordBytes * _options.CompactionLiveRatio);
        if (sparse.Count == 0)
        {
            return (0, 0);
        }

        // Bound the work of one pass (it runs on the writer loop): the sparsest segments first, about
        // MaxBatchBytes of live data per pass; the next pass continues.
        lock (_stateLock)
        {
            sparse.Sort((a, b) => _summaries[a.Id].LiveBytes.CompareTo(_summaries[b.Id].LiveBytes));
            long budget = 0;
            int take = 0;
            while (take < sparse.Count && (take == 0 || budget + _summaries[sparse[take].Id].LiveBytes <= _options.MaxBatchBytes))
            {
                budget += _summaries[sparse[take].Id].LiveBytes;
                take++;
            }

            sparse.RemoveRange(take, sparse.Count - take);
        }

        _tentative.Clear();
        _summaryAdds.Clear();
        var targets = sparse.Select(s => s.Id).ToHashSet();
        var streams = new List<StreamEntry>();
        var seen = new HashSet<long>();
        lock (_stateLock)
        {
            foreach (uint segmentId in targets)
            {
                foreach (var (hash, item) in _summaries[segmentId].Entries())
                {
                    _slotScratch.Clear();
                    _index.CollectSlots(hash, _slotScratch);
                    foreach (int slot in _slotScratch)
                    {
                        StreamEntry e = _index.At(slot);
                        if (IsLiveFor(e, item, segmentId, retainEvents: false) && seen.Add(e.LatestPosition))
                        {
                            streams.Add(e);
                        }
                    }
                }
            }
        }

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
            bool hasBase = items[0].Kind != RecordType.Events;
            updated.Apply(RecordType.Relocated, position, entry.Version, hasBase, items[0].Kind == RecordType.Tombstone, hasBase ? items[0].Version : 0);
            string streamId = System.Text.Encoding.UTF8.GetString(id);
            _tentative[streamId] = updated;
            long maxEvent = items.Where(i => i.Kind == RecordType.Events).Select(i => i.Version).DefaultIfEmpty(0).Max();
            _summaryAdds.Add((LogPosition.Segment(position), entry.Hash, maxEvent, size));
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
        bool hasBase = entry.BasePosition != LogPosition.None;
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
                    && (item.Kind == RecordType.Tombstone) == ((entry.Flags & StreamEntry.BaseIsTombstoneFlag) != 0))
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
