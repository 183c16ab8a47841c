using Actors.Wal.Format;
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

    /// <summary>True when every record of the sealed <paramref name="segment"/> lies before the <paramref name="applied"/> position.</summary>
    internal static bool IsFullyApplied(Segment segment, long applied)
        => applied != LogPosition.None
            && (LogPosition.Segment(applied) > segment.Id
                || (LogPosition.Segment(applied) == segment.Id && LogPosition.Offset(applied) >= segment.WrittenOffset));

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
}
