using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Reading;
using Actors.Wal.Segments;
using Actors.Wal.Writing;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Maintenance;

internal sealed partial class LogMaintenance
{
    /// <summary>One space-management pass: delete the dead, compact the sparse, delete what compaction freed.</summary>
    /// <param name="scope">What the pass covers: see <see cref="SpacePassScope"/>.</param>
    private async Task<CompactionResult> RunSpacePassAsync(SpacePassScope scope)
    {
        bool requested = scope.Requested;
        bool handlesErased = scope.HandlesErased;
        int scans = handlesErased ? await RunErasureScansAsync().ConfigureAwait(false) : 0;
        if (scope.RemovesAllErased)
        {
            await SealErasedActiveSegmentAsync().ConfigureAwait(false);
        }

        // What an erase pass must remove: the segments marked when it starts (the scans' marks and the sealed active
        // segment included). Erases that mark more meanwhile have opened a window of their own.
        var markedAtStart = _segments.Current.All.Where(static s => s.HoldsErasedData).Select(static s => s.Id).ToHashSet();
        // A rotation's pass deletes what its own snapshot covers; segments that died while that snapshot was taken wait for
        // the next rotation's (with a large index they always would: 256 checkpointing writers kill the segment sealed
        // last within tens of milliseconds, a snapshot of 1,000,000 streams takes longer). Other passes delete every dead
        // segment, writing a snapshot when the latest does not cover them.
        var (deleted, freed) = await DeleteDeadSegmentsAsync(coveredOnly: !requested && !scope.ErasePass).ConfigureAwait(false);
        int compacted = 0;
        int relocated = 0;
        int erasedCompacted = 0;
        // Segments holding erased records are compacted even when compaction is otherwise off (unless an erase window
        // leaves them to the erase pass). With retained history a relocation copies each stream's whole stored history (the
        // base after the events it covers). A requested pass (CompactAsync) goes on while segments holding erased records
        // remain and the last round deleted some, an erase pass while segments marked when it started remain: when it
        // returns, what the erases before it removed is in no file (a round is bounded by MaxBatchBytes).
        while (_options.CompactionLiveRatio > 0 || _segments.Current.All.Any(s => (handlesErased && s.HoldsErasedData) || HasOlderKey(s) || HasExpiredHistory(s)))
        {
            var (roundCompacted, roundRelocated, roundErased) = await CompactSegmentsAsync(requested, handlesErased).ConfigureAwait(false);
            compacted += roundCompacted;
            relocated += roundRelocated;
            erasedCompacted += roundErased;
            if (roundCompacted == 0)
            {
                break;
            }

            var (moreDeleted, moreFreed) = await DeleteDeadSegmentsAsync(coveredOnly: false).ConfigureAwait(false);
            deleted += moreDeleted;
            freed += moreFreed;
            if (!scope.RemovesAllErased || moreDeleted == 0
                || ReclaimableSegments(s => s.HoldsErasedData && (requested || markedAtStart.Contains(s.Id))).Count == 0)
            {
                break;
            }
        }

        if (scans > 0 || erasedCompacted > 0)
        {
            Interlocked.Increment(ref _counters.ErasePasses);
            LogErasePass(scans, erasedCompacted, requested ? "CompactAsync" : scope.ErasePass ? "erase window" : "space pass");
        }

        if (deleted > 0 || compacted > 0)
        {
            LogSpacePass(deleted, compacted, relocated, freed);
        }

        return new CompactionResult(deleted, compacted, relocated, freed);
    }

    /// <summary>
    /// Searches every segment, once for all pending erasure scans, for what their erases removed, marks the segments
    /// holding any (durably, in the manifest) so this pass compacts them, deletes the files kept for reuse (a segment
    /// retired since the erase may have taken such copies there), and only then drops the scans it did.
    /// </summary>
    /// <returns>How many scans it ran.</returns>
    private async Task<int> RunErasureScansAsync()
    {
        ErasureScan[] scans;
        lock (_erasureScans)
        {
            scans = [.. _erasureScans];
        }

        if (scans.Length == 0)
        {
            return 0;
        }

        var found = await _reader.FindSegmentsHoldingAsync(scans, CancellationToken.None).ConfigureAwait(false);
        _health.ThrowIfAbandoned();
        if (found.Count > 0)
        {
            MarkErased(found);
            _segments.WriteManifest();
        }

        _segments.DiscardRecycledFiles();
        lock (_erasureScans)
        {
            _erasureScans.RemoveAll(s => Array.IndexOf(scans, s) >= 0);
            ErasureScansFile.Write(_fileSystem, _options.Directory, _erasureScans);
        }

        LogErasureScan(scans.Length, found.Count);
        return scans.Length;
    }

    /// <summary>
    /// Seals the active segment when an erase left records in it (no pass compacts the active segment), so the
    /// compaction that follows takes it like any other marked segment. Writes go on in the next segment.
    /// </summary>
    private async Task SealErasedActiveSegmentAsync()
    {
        foreach (var segment in _segments.Current.All)
        {
            if (segment is { IsSealed: false, HoldsErasedData: true })
            {
                // The writer seals it only if it is still the active segment (it may have rotated meanwhile).
                var seal = new SealRequest(segment.Id);
                if (_writer.TryEnqueue(seal))
                {
                    await seal.Task.ConfigureAwait(false);
                }

                _health.ThrowIfAbandoned();
            }
        }
    }

    /// <summary>
    /// Sealed segments (not the active one) that retention allows to reclaim and <paramref name="predicate"/> selects.
    /// Retention (audit settings, and segments holding changes a retained change-feed reader has not passed) does not keep
    /// a segment that holds erased records: an erase wins over retention.
    /// </summary>
    private List<Segment> ReclaimableSegments(Func<Segment, bool> predicate)
    {
        // Read before any live bytes: a segment is a candidate only once the committer published every record in it (a
        // commit makes a segment durable before it publishes its records, so a segment one commit wrote from its first
        // record to its seal is sealed and durable with no live bytes until then).
        long applied = _committer.AppliedPosition;
        long now = _time.GetUtcNow().UtcTicks;
        var sealedSegments = _segments.Current.All.Where(s => s.IsSealed && s.DurableOffset >= s.WrittenOffset).ToList();
        int retainFrom = Math.Max(0, sealedSegments.Count - _options.RetainSegmentCount);
        uint? readersFloor = Retentions?.HeldFloor(sealedSegments, dropped => LogReaderDropped(dropped.ReaderName, dropped.HeldBytes, dropped.MaxBytes, dropped.Position.ToString()));
        var candidates = new List<Segment>();
        for (int i = 0; i < sealedSegments.Count; i++)
        {
            var segment = sealedSegments[i];
            long sealedAt = segment.SealedAtTicks > 0 ? segment.SealedAtTicks : segment.Header.CreatedUtcTicks;
            bool retained = i >= retainFrom || (_options.RetainMaxAge is { } maxAge && now - sealedAt < maxAge.Ticks)
                || (readersFloor is { } floor && segment.Id >= floor);
            if ((retained && !segment.HoldsErasedData) || !IsFullyApplied(segment, applied))
            {
                continue;
            }

            if (predicate(segment))
            {
                candidates.Add(segment);
            }
        }

        return candidates;
    }

    /// <summary>
    /// Deletes the dead segments once a recovery snapshot that points into none of them is durable: the latest one when
    /// they were all dead and fully applied before its entries were copied (a rotation's pass writes one just before),
    /// else a new one.
    /// </summary>
    /// <param name="coveredOnly">
    /// True: delete only the dead segments the latest snapshot covers and write none (unless a dead segment holds erased
    /// records, records under an older key or expired history: then all, as with false); the others wait for a later pass.
    /// </param>
    private async Task<(int Deleted, long Freed)> DeleteDeadSegmentsAsync(bool coveredOnly)
    {
        // The dead set first: a sealed segment's live bytes only fall, so no entry copied after this points into it.
        var dead = ReclaimableSegments(static s => s.LiveBytes <= 0);
        if (dead.Count == 0)
        {
            return (0, 0);
        }

        // Persist an index that no longer points into these segments before they go (an earlier snapshot may), then
        // the manager drops them from the manifest before any file is touched.
        var covered = Volatile.Read(ref _deadBeforeLastSnapshot);
        if (!dead.TrueForAll(s => covered.Contains(s.Id)))
        {
            if (coveredOnly && !dead.Exists(s => s.HoldsErasedData || HasOlderKey(s) || HasExpiredHistory(s)))
            {
                dead.RemoveAll(s => !covered.Contains(s.Id));
                if (dead.Count == 0)
                {
                    return (0, 0);
                }
            }
            else
            {
                await WriteSnapshotAsync(clean: false).ConfigureAwait(false);
            }
        }

        _health.ThrowIfAbandoned();
        _segments.Retire(dead);
        return (dead.Count, dead.Sum(s => s.WrittenOffset));
    }

    /// <summary>One compaction round.</summary>
    /// <param name="requested">
    /// True for <see cref="CompactAsync"/>: every sparse segment is a candidate. False for a background pass: the segment
    /// sealed last is not compacted for its live ratio yet (see <see cref="NewestSealedSegment"/>).
    /// </param>
    /// <param name="handlesErased">False while an erase window is open: segments an erase marked wait for the erase pass.</param>
    /// <returns>Segments compacted (of them, marked by an erase) and streams copied forward.</returns>
    private async Task<(int Compacted, int Relocated, int Erased)> CompactSegmentsAsync(bool requested, bool handlesErased)
    {
        uint settling = requested ? 0 : NewestSealedSegment();
        bool keepCopies = !requested && _options.MaxSparseCopySegments > 0
            && ReclaimableSegments(s => IsSparseForRatio(s, settling) && MayHoldOnlyCopies(s)).Count <= _options.MaxSparseCopySegments;
        var sparse = ReclaimableSegments(s => s.LiveBytes > 0
            && (handlesErased || !s.HoldsErasedData)
            && (s.HoldsErasedData || HasOlderKey(s) || HasExpiredHistory(s)
                || (IsSparseForRatio(s, settling) && !(keepCopies && MayHoldOnlyCopies(s)))));
        if (sparse.Count == 0)
        {
            return (0, 0, 0);
        }

        // Bound one pass: segments with erased records first, then the sparsest, about MaxBatchBytes of live data; the
        // next pass continues.
        sparse.Sort((a, b) => a.HoldsErasedData != b.HoldsErasedData ? (a.HoldsErasedData ? -1 : 1) : a.LiveBytes.CompareTo(b.LiveBytes));
        long budget = 0;
        int take = 0;
        while (take < sparse.Count && (take == 0 || budget + sparse[take].LiveBytes <= _options.MaxBatchBytes))
        {
            budget += sparse[take].LiveBytes;
            take++;
        }

        sparse.RemoveRange(take, sparse.Count - take);
        var targets = sparse.Select(s => s.Id).ToHashSet();

        // The streams with live runs there: one pass over the index, without a lock (entries are consistent copies).
        var streams = new List<StreamEntry>();
        foreach (var entry in StreamIndex.Entries(_index.Current))
        {
            foreach (uint target in targets)
            {
                if (entry.HasRunIn(target))
                {
                    streams.Add(entry);
                    break;
                }
            }
        }

        // Streams are copied in chunks: each chunk's read buffers come from the maintenance pool and go back once the
        // chunk's copies completed (their payloads point into them until the writer framed them), so a pass over many
        // streams reuses a bounded set of buffers instead of allocating fresh windows for every stream. The chunk's walks
        // share one cursor, newest latest record first: a window read for one stream (it ends 512 bytes past that record's start)
        // holds the next streams' latest records, so idle streams of one record each cost one read per window, not one
        // read of 4 KiB each (100,000 of them in a pass that copied 100,000 idle streams).
        streams.Sort(static (a, b) => b.LatestPosition.CompareTo(a.LatestPosition));
        int relocated = 0;
        HistoryRewrite? retention = _options.RetainCheckpointedEvents ? HistoryRewrite.ForCompaction(_options, _time.GetUtcNow().UtcTicks) : null;
        var rentals = new List<byte[]>();
        var requests = new List<RelocateRequest>(RelocationChunk);
        for (int start = 0; start < streams.Count; start += RelocationChunk)
        {
            requests.Clear();
            var cursor = _reader.RelocationCursor(_readBuffers, rentals);
            for (int i = start; i < Math.Min(streams.Count, start + RelocationChunk); i++)
            {
                if (await TryPrepareRelocationAsync(streams[i], retention, rentals, _maxRecordLength, cursor).ConfigureAwait(false) is { } request)
                {
                    requests.Add(request);
                }
            }

            // The chunk goes to the writer at once: framed together, beside the appends queued meanwhile, in one group
            // where it fits (queued one by one, each copy was a drain of its own and often a commit of its own).
            int queued = _writer.TryEnqueueAll(requests);
            for (int i = 0; i < queued; i++)
            {
                relocated += await requests[i].Task.ConfigureAwait(false) ? 1 : 0;
            }

            // Every copy of the chunk completed: the writer is done with its payloads. (A failed copy throws above; its
            // buffers are then left to the collector, never returned while the writer might still read them.)
            foreach (byte[] buffer in rentals)
            {
                _readBuffers.Return(buffer);
            }

            rentals.Clear();
            if (queued < requests.Count)
            {
                break; // the log is closing: the writer takes nothing more
            }
        }

        Interlocked.Add(ref _counters.SegmentsCompacted, sparse.Count);
        Interlocked.Add(ref _counters.StreamsRelocated, relocated);
        return (sparse.Count, relocated, sparse.Count(static s => s.HoldsErasedData));
    }

    /// <summary>
    /// Reads a stream's live items and prepares their copy. A damaged record on the way is not a reason to fail the
    /// log (nothing was written): the stream is skipped, so its records and segments stay where they are, and the damage
    /// is logged and counted. Reads report it to callers. A copy larger than <paramref name="limit"/> is not made (logged as a
    /// warning when the limit is the largest record a segment holds: then no compaction can ever move the stream).
    /// </summary>
    private async Task<RelocateRequest?> TryPrepareRelocationAsync(StreamEntry entry, HistoryRewrite? retention, List<byte[]> rentals, long limit, RecordCursor? cursor = null)
    {
        try
        {
            var collected = await _reader.CollectForRelocationAsync(entry, retention, _readBuffers, rentals, _relocationScratch, CancellationToken.None, cursor).ConfigureAwait(false);
            if (collected is not { } found)
            {
                return null;
            }

            long size = RecordCodec.RelocatedSize(found.Id.Length, found.Items, Cipher);
            string id = System.Text.Encoding.UTF8.GetString(found.Id);
            if (size > limit)
            {
                if (limit >= _maxRecordLength)
                {
                    LogRelocationSkipped(id, size);
                }

                return null;
            }

            return new RelocateRequest(id, entry.Hash, entry.LatestPosition, entry.Version, found.Items, (int)size);
        }
        catch (LogCorruptedException ex)
        {
            Interlocked.Increment(ref _counters.CorruptRecordsSkipped);
            LogCorruptRecordSkipped(ex.Message, ex);
            return null;
        }
        catch (EncryptionKeyNotFoundException ex)
        {
            // Unreadable without a key the provider lacks: the stream's records stay where they are (reads report it).
            Interlocked.Increment(ref _counters.CorruptRecordsSkipped);
            LogCorruptRecordSkipped(ex.Message, ex);
            return null;
        }
    }

    /// <summary>True when every record of the sealed <paramref name="segment"/> lies before the <paramref name="applied"/> position.</summary>
    internal static bool IsFullyApplied(Segment segment, long applied)
        => applied != LogPosition.None
            && (LogPosition.Segment(applied) > segment.Id
                || (LogPosition.Segment(applied) == segment.Id && LogPosition.Offset(applied) >= segment.WrittenOffset));

    /// <summary>
    /// True when <paramref name="segment"/> holds live records below <see cref="WriteAheadLogOptions.CompactionLiveRatio"/>
    /// and is not the <paramref name="settling"/> segment (see <see cref="NewestSealedSegment"/>).
    /// </summary>
    private bool IsSparseForRatio(Segment segment, uint settling)
        => segment.LiveBytes > 0 && segment.LiveBytes < segment.RecordBytes * _options.CompactionLiveRatio && segment.Id != settling;

    /// <summary>
    /// True when the segment's live bytes are at most the Relocated records written there: what keeps it may be nothing
    /// but copies compaction (or consolidation, or an erase) already made, of streams not written since. Copying them again
    /// would put them beside the records the log writes now, which die as these did: the segment stays, within
    /// <see cref="WriteAheadLogOptions.MaxSparseCopySegments"/>.
    /// </summary>
    private static bool MayHoldOnlyCopies(Segment segment) => segment.LiveBytes <= segment.CopiedBytes;

    /// <summary>
    /// The segment sealed last (0 when none is sealed). Its live bytes are still falling while it <em>settles</em>: the
    /// streams written there moments ago are the active ones, and a stream that checkpoints supersedes its records there
    /// soon after. Copying such streams forward is wasted work on the append path's disk and cores (measured with 256
    /// writers checkpointing every 64 appends: each pass right after a rotation read the 256 streams' scattered records
    /// (about 250 MB of read windows, allocated and collected: 40 collections, 4 of them gen2, stopping the writer and the
    /// committer) and copied none, since each stream had changed before its copy reached the writer). So the pass after
    /// a rotation leaves the newest sealed segment for the next one, when the streams that checkpoint have made it dead
    /// (deleted without a copy) and the ones that pin it are idle; <see cref="CompactAsync"/>, an erase, an older key and
    /// expired history still compact it at once.
    /// </summary>
    private uint NewestSealedSegment()
    {
        uint newest = 0;
        foreach (var segment in _segments.Current.All)
        {
            if (segment.IsSealed)
            {
                newest = Math.Max(newest, segment.Id);
            }
        }

        return newest;
    }

    /// <summary>
    /// True when the segment was created under another key than the current one (or before encryption): compaction
    /// copies its live records forward, sealed with the current key (key rotation).
    /// </summary>
    private bool HasOlderKey(Segment segment) => Cipher is { } cipher && segment.Header.KeyId != cipher.Current.Id;

    /// <summary>
    /// True when the log trims the history of copied streams (<see cref="WriteAheadLogOptions.RetainHistoryFor"/>,
    /// <see cref="WriteAheadLogOptions.RetainLastVersions"/>, <see cref="WriteAheadLogOptions.StreamRetention"/>) and the
    /// segment was sealed longer ago than the trim age: compaction copies its streams without what their policies drop.
    /// </summary>
    private bool HasExpiredHistory(Segment segment)
        => TrimAge() is { } age && segment.IsSealed
            && (segment.SealedAtTicks > 0 ? segment.SealedAtTicks : segment.Header.CreatedUtcTicks) <= _time.GetUtcNow().UtcTicks - age.Ticks;

    /// <summary>
    /// How old a sealed segment gets before a pass compacts it to trim history: <see cref="WriteAheadLogOptions.RetainHistoryFor"/>
    /// (every event in an older segment is older), or <see cref="WriteAheadLogOptions.HistoryTrimAge"/> when a version count
    /// or per-stream policies apply, whichever is shorter; null when nothing is trimmed.
    /// </summary>
    private TimeSpan? TrimAge()
    {
        if (!_options.RetainCheckpointedEvents)
        {
            return null;
        }

        TimeSpan? age = _options.RetainHistoryFor;
        if ((_options.RetainLastVersions is not null || _options.StreamRetention is not null) && (age is null || _options.HistoryTrimAge < age))
        {
            age = _options.HistoryTrimAge;
        }

        return age;
    }

    [LoggerMessage(9, LogLevel.Information, "Erasure scan: searched every segment for {Scans} erases, {Segments} segments hold removed records and are compacted")]
    private partial void LogErasureScan(int scans, int segments);

    [LoggerMessage(11, LogLevel.Information, "Erase pass ({Trigger}): ran {Scans} erasure scans, compacted {Segments} segments holding erased records")]
    private partial void LogErasePass(int scans, int segments, string trigger);

    [LoggerMessage(10, LogLevel.Warning, "Pending erasure scans unreadable: {Reason}")]
    private partial void LogErasureScansDamaged(string reason);

    [LoggerMessage(8, LogLevel.Error, "Change-feed reader {Reader} dropped at {Position}: it held {Held} bytes of segments back from deletion, more than MaxChangeFeedRetainedBytes {Max}")]
    private partial void LogReaderDropped(string reader, long held, long max, string position);

    [LoggerMessage(5, LogLevel.Information, "Space pass: deleted {Deleted} segments, compacted {Compacted} ({Relocated} streams copied forward), freed {Freed} bytes")]
    private partial void LogSpacePass(int deleted, int compacted, int relocated, long freed);

    [LoggerMessage(6, LogLevel.Warning, "Stream {StreamId} was not copied forward: its live records need {Bytes} bytes, more than one record can hold")]
    private partial void LogRelocationSkipped(string streamId, long bytes);

    [LoggerMessage(7, LogLevel.Warning, "Space management skipped a stream with a damaged record (its segments stay; the log keeps working): {Reason}")]
    private partial void LogCorruptRecordSkipped(string reason, Exception exception);
}
