using System.Buffers;
using System.Runtime.CompilerServices;
using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Reading;

internal sealed partial class LogReader
{
    /// <summary>The first read of a record while planning: its header, its stream id and the start of a short body.</summary>
    private const int PlanReadBytes = 4096;

    /// <summary>
    /// Reads the events of versions [<paramref name="fromVersion"/>, the stream's version when the enumeration starts]
    /// in version order, one record at a time: memory holds the planned records' positions (12 bytes a record) and one
    /// record, never the stream's payloads.
    /// </summary>
    /// <remarks>
    /// <para>Plan: one walk back along the stream's chain from its latest record, verifying each record (header, CRC,
    /// stream id) through one reused buffer, collects the positions of the records that hold the range, stopping at the
    /// first record older than <paramref name="fromVersion"/> or at the newest tombstone (whose earlier events are out of
    /// the range, as for <see cref="ReadEventsAsync"/>). Then each record is read forward into a fresh buffer (the payloads
    /// handed out belong to the caller) and its events yielded.</para>
    /// <para>The plan is made again from the index's entry, starting at the next version to yield, when a planned record's
    /// segment is gone (compaction moved the stream or space management reclaimed it) or when a history rewrite (an erase)
    /// completed since the plan (<paramref name="rewrites"/> changed; checked before every event, so an erased event is
    /// never handed out after its erase completed). Versions the new plan cannot serve are an
    /// <see cref="EventsReclaimedException"/>; the read never skips a version once it has yielded one.</para>
    /// </remarks>
    /// <exception cref="EventsReclaimedException">Versions of the range are no longer stored (at the start, or lost during the read).</exception>
    /// <exception cref="LogCorruptedException">A record on the way is damaged, or a segment holding unreclaimed events is missing.</exception>
    public async IAsyncEnumerable<StoredEvent> ReadEventsForwardAsync(
        string streamId, ulong hash, long fromVersion, Func<long> rewrites, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        byte[] id = System.Text.Encoding.UTF8.GetBytes(streamId);
        long rewritesSeen = rewrites();
        var plan = await PlanForwardAsync(streamId, hash, id, fromVersion, long.MaxValue, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            yield break; // an unknown stream
        }

        long to = plan.To;
        long next = plan.From;
        bool yielded = false;
        int record = plan.Count - 1;
        int replans = 0;
        bool atPlanStart = true;
        var items = new List<RecordItem>();
        while (next <= to)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool rewritten = rewrites() != rewritesSeen;
            var read = record >= 0 && !rewritten ? await ReadWholeRecordAsync(plan.Position(record), plan.Length(record), cancellationToken).ConfigureAwait(false) : null;
            if (read is not { } stored || rewrites() != rewritesSeen)
            {
                if (record < 0 && !plan.Truncated && !rewritten)
                {
                    // The chain ended below the range's end: nothing stores versions from next on (an erase kept none).
                    throw new EventsReclaimedException(streamId, next, to + 1);
                }

                ObjectDisposedException.ThrowIf(isClosed(), typeof(WriteAheadLog));
                if ((record >= 0 || rewritten) && ++replans > ReadAttempts)
                {
                    throw new EventsReclaimedException(streamId, next, to + 1);
                }

                rewritesSeen = rewrites();
                (plan, next) = await ReplanAsync(streamId, hash, id, next, to, yielded, cancellationToken).ConfigureAwait(false);
                record = plan.Count - 1;
                atPlanStart = true;
                continue;
            }

            record--;
            DecodeItems(stored, items);
            foreach (var item in items)
            {
                if (item.Kind == RecordType.Tombstone && item.Version >= next)
                {
                    // A relocated copy's base: the deleted incarnation's events are out of the range, as ReadEventsAsync
                    // leaves them out; once the read has handed out some of them, they were lost during the read.
                    next = yielded ? throw new EventsReclaimedException(streamId, next, item.Version + 1) : item.Version + 1;
                    continue;
                }

                if (item.Kind != RecordType.Events || item.Version < next || item.Version > to)
                {
                    continue;
                }

                if (item.Version != next)
                {
                    // The first event a plan finds may lie above the next version: the versions between are no longer stored
                    // (reclaimed, or erased during the read). A hole further on is damage.
                    throw atPlanStart
                        ? new EventsReclaimedException(streamId, next, item.Version)
                        : new LogCorruptedException(stored.Path, stored.Offset, $"stream '{streamId}' continues at version {item.Version} where version {next} was expected");
                }

                if (rewrites() != rewritesSeen)
                {
                    break; // erased meanwhile? plan again from this version before handing it out
                }

                replans = 0;
                atPlanStart = false;
                yielded = true;
                next++;
                yield return ToStoredEvent(item);
            }
        }
    }

    /// <summary>A new plan for [<paramref name="next"/>, <paramref name="to"/>] after the stream's records moved or were rewritten.</summary>
    private async ValueTask<(ForwardPlan Plan, long Next)> ReplanAsync(
        string streamId, ulong hash, byte[] id, long next, long to, bool yielded, CancellationToken cancellationToken)
    {
        var plan = await PlanForwardAsync(streamId, hash, id, next, to, cancellationToken).ConfigureAwait(false)
            ?? throw new EventsReclaimedException(streamId, next, to + 1);
        if (plan.From > next && yielded)
        {
            // Deleted (a tombstone) after the read began, and its records reclaimed: the rest of the range is gone.
            throw new EventsReclaimedException(streamId, next, plan.From);
        }

        return (plan, plan.From);
    }

    /// <summary>
    /// Plans a forward read of [<paramref name="fromVersion"/>, <paramref name="toVersion"/>] (clamped to the stream's
    /// version). Null for an unknown stream.
    /// </summary>
    private async ValueTask<ForwardPlan?> PlanForwardAsync(
        string streamId, ulong hash, byte[] id, long fromVersion, long toVersion, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(PlanReadBytes);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                bool found = false;
                foreach (var entry in Candidates(streamId, hash))
                {
                    var plan = new ForwardPlan(fromVersion, Math.Min(toVersion, entry.Version), MaxPlannedRecords);
                    bool notThis;
                    long gone;
                    using (var readAhead = ReadAhead.For(entry, _readAheadStatistics))
                    {
                        (notThis, gone) = await WalkHeadersAsync(id, entry, plan, buffer, readAhead, cancellationToken).ConfigureAwait(false);
                    }

                    if (notThis)
                    {
                        continue; // a hash collision: another stream's entry
                    }

                    found = true;
                    if (gone == LogPosition.None)
                    {
                        return plan;
                    }

                    ObjectDisposedException.ThrowIf(isClosed(), typeof(WriteAheadLog));
                    if (attempt == ReadAttempts || !Changed(streamId, hash, entry))
                    {
                        // Space management deletes only what a checkpoint (the stream's base) covers: events above the base
                        // in a segment that is gone were lost (Salvage opened without it), not reclaimed. Below the base the
                        // plan ends at the gap and the forward read reports the reclaimed versions.
                        long newestMissing = plan.Count > 0 ? plan.OldestFirstVersion - 1 : plan.To;
                        if (newestMissing > entry.BaseVersion)
                        {
                            throw MissingRecord(streamId, gone, $"events up to version {newestMissing}");
                        }

                        return plan;
                    }

                    break; // compaction moved the stream meanwhile: plan again with its new entry
                }

                if (!found)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Walks the chain back from <paramref name="entry"/>'s latest record, verifying each record, and adds the records
    /// holding the plan's range to it. Returns the position of a record whose segment is gone (else
    /// <see cref="LogPosition.None"/>), or NotThisStream when the latest record belongs to another stream.
    /// </summary>
    private async ValueTask<(bool NotThisStream, long Gone)> WalkHeadersAsync(
        byte[] id, StreamEntry entry, ForwardPlan plan, byte[] buffer, ReadAhead? readAhead, CancellationToken cancellationToken)
    {
        byte[]? large = null;
        try
        {
            long position = entry.LatestPosition;
            bool first = true;
            while (position != LogPosition.None)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var segment = segments.Current.Find(LogPosition.Segment(position));
                if (segment is null || !segment.TryAcquire())
                {
                    return (false, position);
                }

                long offset = LogPosition.Offset(position);
                RecordHeader header;
                try
                {
                    int read = await segment.File.ReadAsync(offset, buffer.AsMemory(0, PlanReadBytes), cancellationToken).ConfigureAwait(false);
                    if (!RecordHeader.TryRead(buffer.AsSpan(0, read), maxRecordLength, out header, out string? reason))
                    {
                        throw new LogCorruptedException(segment.Path, offset, reason ?? "invalid record header");
                    }

                    readAhead?.Visit(segment, offset, header.Length);
                    byte[] bytes = buffer;
                    if (header.Length > read)
                    {
                        if (large is null || large.Length < header.Length)
                        {
                            if (large is not null)
                            {
                                ArrayPool<byte>.Shared.Return(large);
                            }

                            large = ArrayPool<byte>.Shared.Rent(header.Length);
                        }

                        bytes = large;
                        if (await segment.File.ReadAsync(offset, bytes.AsMemory(0, header.Length), cancellationToken).ConfigureAwait(false) < header.Length)
                        {
                            throw new LogCorruptedException(segment.Path, offset, "the record is cut off by the end of the file");
                        }
                    }

                    if (!RecordCodec.CrcMatches(bytes.AsSpan(0, header.Length), segment.Header.RecordSalt))
                    {
                        throw new LogCorruptedException(segment.Path, offset, $"the CRC of a {header.Type} record does not match");
                    }

                    if (!bytes.AsSpan(RecordHeader.Size, header.StreamIdLength).SequenceEqual(id))
                    {
                        if (first)
                        {
                            return (true, LogPosition.None);
                        }

                        throw new LogCorruptedException(segment.Path, offset, "a back-pointer leads to a record of another stream");
                    }

                    if (header.Type == RecordType.Seal)
                    {
                        throw new LogCorruptedException(segment.Path, offset, "a back-pointer leads to a seal record");
                    }

                    if (!plan.Take(header, position))
                    {
                        return (false, LogPosition.None);
                    }

                    first = false;
                    long previous = header.PrevPosition;
                    if (previous != LogPosition.None && (previous < 0 || previous >= position))
                    {
                        throw new LogCorruptedException(
                            segment.Path,
                            offset,
                            $"the back-pointer to the stream's previous record ({LogPosition.Format(previous)}) does not point backwards from {LogPosition.Format(position)}");
                    }

                    position = previous;
                }
                finally
                {
                    segment.Release();
                }
            }

            return (false, LogPosition.None);
        }
        finally
        {
            if (large is not null)
            {
                ArrayPool<byte>.Shared.Return(large);
            }
        }
    }

    /// <summary>Reads and verifies the whole record at <paramref name="position"/> into a new buffer; null when its segment is gone.</summary>
    private async ValueTask<StoredRecord?> ReadWholeRecordAsync(long position, int length, CancellationToken cancellationToken)
    {
        var segment = segments.Current.Find(LogPosition.Segment(position));
        if (segment is null || !segment.TryAcquire())
        {
            return null;
        }

        long offset = LogPosition.Offset(position);
        try
        {
            byte[] bytes = new byte[length];
            int read = await segment.File.ReadAsync(offset, bytes, cancellationToken).ConfigureAwait(false);
            if (!RecordHeader.TryRead(bytes.AsSpan(0, read), maxRecordLength, out var header, out string? reason) || header.Length != length)
            {
                throw new LogCorruptedException(segment.Path, offset, reason ?? $"the record's length changed from {length} to {header.Length} bytes since it was planned");
            }

            if (!RecordCodec.CrcMatches(bytes, segment.Header.RecordSalt))
            {
                throw new LogCorruptedException(segment.Path, offset, $"the CRC of a {header.Type} record does not match");
            }

            return new StoredRecord(header, bytes, segment.Path, offset);
        }
        finally
        {
            segment.Release();
        }
    }
}
