using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Reading;
using Actors.Wal.Segments;
using Actors.Wal.Writing;
using Microsoft.Extensions.Logging;

namespace Actors.Wal.Maintenance;

internal sealed partial class LogMaintenance
{
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

        // What each copy would write (CopyCost): a copy carries a stream's whole live content, so a segment chosen for its
        // live ratio alone is compacted only while what its copies write stays below the ratio of the segment's bytes. A
        // background pass leaves the others in place (a keep-all journal is not copied forward with its whole history
        // because states died around its newest events); CompactAsync, an erase, an older key and expired history compact
        // them whatever they cost.
        var mayTrim = new HashSet<uint>();
        var costs = CopyCost.PerSegment(_index.Current, sparse.Select(static s => s.Id).ToHashSet(), mayTrim);
        if (_options.RetainHistoryFor is null && _options.RetainLastVersions is null)
        {
            // Only streams' own policies trim history (StreamRetention): a segment past the trim age where every stream
            // keeps all of it (the grain providers' keep-all journals beside reclaiming states) would be copied for nothing
            // a copy leaves out, and again each time its copy ages: such a segment is compacted only for its live ratio.
            sparse.RemoveAll(s => !s.HoldsErasedData && !HasOlderKey(s) && HasExpiredHistory(s) && !mayTrim.Contains(s.Id)
                && !(IsSparseForRatio(s, settling) && !(keepCopies && MayHoldOnlyCopies(s))));
            if (sparse.Count == 0)
            {
                return (0, 0, 0);
            }
        }

        if (!requested)
        {
            int left = sparse.RemoveAll(s => !MustCompact(s, mayTrim) && costs[s.Id] >= s.RecordBytes * _options.CompactionLiveRatio);
            Interlocked.Add(ref _counters.SegmentsLeftForCopyCost, left);
            if (sparse.Count == 0)
            {
                return (0, 0, 0);
            }
        }

        // Bound one pass by what it writes: segments with erased records first, then the cheapest to copy, about
        // MaxBatchBytes of copies (at least one segment); the next pass continues. Passes follow rotations, so background
        // compaction writes about MaxBatchBytes per segment the appends fill: a budget of the write path's bytes.
        sparse.Sort((a, b) => a.HoldsErasedData != b.HoldsErasedData ? (a.HoldsErasedData ? -1 : 1) : costs[a.Id].CompareTo(costs[b.Id]));
        long budget = 0;
        int take = 0;
        while (take < sparse.Count && (take == 0 || budget + costs[sparse[take].Id] <= _options.MaxBatchBytes))
        {
            budget += costs[sparse[take].Id];
            take++;
        }

        sparse.RemoveRange(take, sparse.Count - take);
        var targets = sparse.Select(s => s.Id).ToHashSet();

        // The streams with live runs there. An idle stream's slot goes with its copy: the writer looks there first.
        var tiers = _index.Current;
        var streams = CopyCandidates.Collect(tiers, targets);

        // Streams are copied in chunks: each chunk's read buffers come from the maintenance pool and go back once the
        // chunk's copies completed (their payloads point into them until the writer framed them), so a pass over many
        // streams reuses a bounded set of buffers instead of allocating fresh windows for every stream. The chunk's walks
        // share one cursor, newest latest record first: a window read for one stream (it ends 512 bytes past that record's start)
        // holds the next streams' latest records, so idle streams of one record each cost one read per window, not one
        // read of 4 KiB each (100,000 of them in a pass that copied 100,000 idle streams).
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
                if (!streams.TryRead(i, out var entry, out int idleSlot))
                {
                    continue; // changed since the pass read the index: the next pass copies it
                }

                if (idleSlot >= 0 && IdleSlotRedirectForTests is { } redirect)
                {
                    idleSlot = redirect(idleSlot);
                }

                if (await TryPrepareRelocationAsync(entry, retention, rentals, _maxRecordLength, cursor, idleSlot >= 0 ? tiers : null, idleSlot).ConfigureAwait(false) is { } request)
                {
                    requests.Add(request);
                }
            }

            // The chunk goes to the writer at once: framed together, beside the appends queued meanwhile, in one group
            // where it fits (queued one by one, each copy was a drain of its own and often a commit of its own).
            int queued = _writer.TryEnqueueAll(requests);
            for (int i = 0; i < queued; i++)
            {
                bool copied = await requests[i].Task.ConfigureAwait(false);
                relocated += copied ? 1 : 0;
                Interlocked.Add(ref copied ? ref _counters.CompactionBytesCopied : ref _counters.CompactionBytesRefused, requests[i].Length);
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
    /// <paramref name="readFromTiers"/> and <paramref name="readFromSlot"/> say where the entry was found idle, when it was.
    /// </summary>
    private async ValueTask<RelocateRequest?> TryPrepareRelocationAsync(StreamEntry entry, HistoryRewrite? retention, List<byte[]> rentals, long limit, RecordCursor? cursor = null, IndexTiers? readFromTiers = null, int readFromSlot = -1)
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

            return new RelocateRequest(id, entry.Hash, entry.LatestPosition, entry.Version, found.Items, (int)size)
            {
                ReadFromTiers = readFromTiers,
                ReadFromSlot = readFromSlot,
            };
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

    /// <summary>
    /// True when <paramref name="segment"/> holds live records below <see cref="WriteAheadLogOptions.CompactionLiveRatio"/>
    /// and is not the <paramref name="settling"/> segment (see <see cref="NewestSealedSegment"/>).
    /// </summary>
    private bool IsSparseForRatio(Segment segment, uint settling)
        => segment.LiveBytes > 0 && segment.LiveBytes < segment.RecordBytes * _options.CompactionLiveRatio && segment.Id != settling;

    /// <summary>
    /// True when a pass compacts <paramref name="segment"/> whatever its copies cost: it holds erased records, records under
    /// an older key, or history past the trim age that a policy trims (the log's, or the own policy of a stream there:
    /// <paramref name="mayTrim"/>, from <see cref="CopyCost.PerSegment"/>).
    /// </summary>
    private bool MustCompact(Segment segment, HashSet<uint> mayTrim)
        => segment.HoldsErasedData || HasOlderKey(segment)
            || (HasExpiredHistory(segment) && (_options.RetainHistoryFor is not null || _options.RetainLastVersions is not null || mayTrim.Contains(segment.Id)));

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

    [LoggerMessage(6, LogLevel.Warning, "Stream {StreamId} was not copied forward: its live records need {Bytes} bytes, more than one record can hold")]
    private partial void LogRelocationSkipped(string streamId, long bytes);

    [LoggerMessage(7, LogLevel.Warning, "Space management skipped a stream with a damaged record (its segments stay; the log keeps working): {Reason}")]
    private partial void LogCorruptRecordSkipped(string reason, Exception exception);
}
