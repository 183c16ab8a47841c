using System.Buffers;
using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Reading;

internal sealed partial class LogReader
{
    /// <summary>
    /// Walks the stream's back-pointer chain from its latest record and returns the newest checkpoint within the bound
    /// plus the events after it. <see cref="Walk.Gone"/> is set when a record on the path is in a deleted segment;
    /// <see cref="Walk.NotThisStream"/> when the entry's latest record belongs to another stream (a hash collision).
    /// </summary>
    private async ValueTask<Walk> WalkStreamAsync(string streamId, byte[] id, StreamEntry entry, ReadBound bound, CancellationToken cancellationToken)
    {
        long maxVersion = bound.ToVersion ?? long.MaxValue;
        long maxTicks = bound.AsOf?.UtcTicks ?? long.MaxValue;
        long knownTop = Math.Min(entry.Version, maxVersion);
        using var readAhead = ReadAhead.For(entry, _readAheadStatistics);
        var cursor = new RecordCursor(segments, maxRecordLength, readAhead: readAhead);
        var events = new List<StoredEvent>();
        var items = new List<RecordItem>();
        StoredCheckpoint? checkpoint = null;
        bool deleted = false;
        long deletedVersion = 0;
        long copiedVersion = 0;
        long copyStartsAt = 1; // the oldest version the chain's first record (a copy) still holds; 1 = the whole history
        bool done = false;
        bool first = true;
        long position = entry.LatestPosition;
        while (!done && position != LogPosition.None)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = await cursor.ReadAsync(position, cancellationToken).ConfigureAwait(false);
            if (read is not { } record)
            {
                return new Walk(null, position, false);
            }

            if (record.Header.Type == RecordType.Relocated)
            {
                if (bound.IsLatest)
                {
                    // A copy carries the stream's version when copied: after an erase it may hold no event that says so.
                    copiedVersion = Math.Max(copiedVersion, record.Header.FirstVersion);
                }

                copyStartsAt = record.Header.ItemCount == 0 ? record.Header.FirstVersion + 1 : -1; // -1: known after decoding
            }

            if (!record.StreamId.SequenceEqual(id))
            {
                if (first)
                {
                    return new Walk(null, LogPosition.None, true);
                }

                throw new LogCorruptedException(record.Path, record.Offset, "a back-pointer leads to a record of another stream");
            }

            first = false;
            DecodeItems(record, items);
            if (copyStartsAt == -1)
            {
                // A copy starts with the stream's base (its versions up to it are covered) or with its oldest kept event.
                copyStartsAt = items[0].Kind == RecordType.Events ? items[0].Version : items[0].Version + 1;
            }

            for (int i = items.Count - 1; i >= 0 && !done; i--)
            {
                var item = items[i];
                if (item.TimestampTicks > maxTicks)
                {
                    continue;
                }

                switch (item.Kind)
                {
                    case RecordType.Events:
                        if (item.Version > maxVersion)
                        {
                            break;
                        }

                        if (checkpoint is not null && item.Version <= checkpoint.Version)
                        {
                            done = true;
                            break;
                        }

                        events.Add(ToStoredEvent(item));
                        done = checkpoint is not null && item.Version == checkpoint.Version + 1;
                        break;
                    case RecordType.Checkpoint:
                        if (item.Version > maxVersion || checkpoint is not null)
                        {
                            break;
                        }

                        checkpoint = new StoredCheckpoint(item.Version, item.Lsn, new DateTimeOffset(item.TimestampTicks, TimeSpan.Zero), item.Payload);
                        done = events.Count > 0
                            ? events[^1].Version == checkpoint.Version + 1
                            : bound.AsOf is null && checkpoint.Version >= knownTop;
                        break;
                    case RecordType.Tombstone:
                        if (bound.ToVersion is not null && item.Version > maxVersion)
                        {
                            break;
                        }

                        if (checkpoint is null && events.Count == 0)
                        {
                            deleted = true;
                            deletedVersion = item.Version;
                        }

                        done = true;
                        break;
                    default:
                        break;
                }
            }

            position = NextBackPointer(record, position);
        }

        if (deleted)
        {
            return new Walk(new StreamReadResult(streamId, null, [], deletedVersion, true), LogPosition.None, false);
        }

        if (!bound.IsLatest && checkpoint is null && events.Count == 0 && position == LogPosition.None && copyStartsAt > 1)
        {
            // The bound excluded everything the chain still holds, and its first record is a copy that no longer holds the
            // stream's older versions (compacted below a checkpoint, or erased): the state asked for is not stored.
            throw new EventsReclaimedException(streamId, bound.ToVersion ?? 1, copyStartsAt);
        }

        events.Reverse();
        long version = Math.Max(events.Count > 0 ? events[^1].Version : checkpoint?.Version ?? 0, copiedVersion);
        return new Walk(new StreamReadResult(streamId, checkpoint, events, version, false), LogPosition.None, false);
    }

    /// <summary>
    /// Collects the events of [<paramref name="fromVersion"/>, <paramref name="toVersion"/>] by walking back from the
    /// stream's latest record. Events is null when a record on the path is in a deleted segment, unless
    /// <paramref name="stopAtGap"/>, which treats that as the end of what is stored.
    /// </summary>
    /// <exception cref="EventsReclaimedException">Requested events are no longer stored.</exception>
    private async ValueTask<(List<StoredEvent>? Events, bool NotThisStream)> CollectEventsAsync(
        string streamId, byte[] id, StreamEntry entry, long fromVersion, long toVersion, bool stopAtGap, CancellationToken cancellationToken)
    {
        long to = Math.Min(toVersion, entry.Version);
        if (to < fromVersion)
        {
            return ([], false);
        }

        using var readAhead = ReadAhead.For(entry, _readAheadStatistics);
        var cursor = new RecordCursor(segments, maxRecordLength, readAhead: readAhead);
        var collected = new List<StoredEvent>();
        var items = new List<RecordItem>();
        long floor = fromVersion;
        long position = entry.LatestPosition;
        long gap = LogPosition.None;
        bool done = false;
        bool first = true;
        while (!done && position != LogPosition.None)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = await cursor.ReadAsync(position, cancellationToken).ConfigureAwait(false);
            if (read is not { } record)
            {
                if (!stopAtGap)
                {
                    return (null, false);
                }

                gap = position;
                break;
            }

            if (!record.StreamId.SequenceEqual(id))
            {
                if (first)
                {
                    return (null, true);
                }

                throw new LogCorruptedException(record.Path, record.Offset, "a back-pointer leads to a record of another stream");
            }

            first = false;
            DecodeItems(record, items);
            for (int i = items.Count - 1; i >= 0 && !done; i--)
            {
                var item = items[i];
                if (item.Kind == RecordType.Tombstone)
                {
                    floor = Math.Max(floor, item.Version + 1);
                    done = true;
                }
                else if (item.Kind == RecordType.Events)
                {
                    if (item.Version < fromVersion)
                    {
                        done = true;
                    }
                    else if (item.Version <= to)
                    {
                        collected.Add(ToStoredEvent(item));
                    }
                }
            }

            position = NextBackPointer(record, position);
        }

        collected.Reverse();
        long expected = Math.Max(0, to - floor + 1);
        if (collected.Count < expected)
        {
            long newestMissing = collected.Count > 0 ? collected[0].Version - 1 : to;
            if (gap != LogPosition.None && newestMissing > entry.BaseVersion)
            {
                // Space management deletes only what a checkpoint (the stream's base) covers: events above the base
                // in a segment that is gone were lost (Salvage opened without their segment), not reclaimed.
                throw MissingRecord(streamId, gap, $"events up to version {newestMissing}");
            }

            // With nothing collected, nothing up to the range's end is stored (an erase can leave no event at all).
            long oldest = collected.Count > 0 ? collected[0].Version : Math.Max(Math.Max(floor, entry.BaseVersion + 1), to + 1);
            throw new EventsReclaimedException(streamId, fromVersion, oldest);
        }

        return (collected, false);
    }

    /// <summary>
    /// A cursor for several relocation walks in a row (<see cref="CollectForRelocationAsync"/>'s <c>shared</c>): compaction
    /// walks a chunk of streams in descending order of their latest positions, so a window read for one stream (it ends
    /// 512 bytes past the start of the record asked for) holds the latest records of the next ones, which lie just before.
    /// Its windows are rented from <paramref name="pool"/> into <paramref name="rentals"/>; the caller returns them once
    /// every walk's items are no longer used. One thread at a time.
    /// </summary>
    /// <remarks>
    /// A window it holds is served again without looking at the segment, so share it only where no segment it read can be
    /// deleted meanwhile and every position asked for was written before the cursor was made: the space pass, which is
    /// the one that deletes segments (after its copies) and asks only for positions of the index it read first. A cursor
    /// of one walk instead finds a segment deleted since as null (<see cref="RecordCursor"/>).
    /// </remarks>
    public RecordCursor RelocationCursor(ArrayPool<byte> pool, List<byte[]> rentals) => new(segments, maxRecordLength, pool, rentals, synchronousReads: true);

    /// <summary>
    /// The stream's live items in relocation order (the base, then events ascending) and its id, read from its records
    /// (maintenance). Null when a record on the way is in a deleted segment (the stream moved meanwhile). No items when
    /// the stream stores nothing but its version (an erase up to its latest version left an empty relocation record):
    /// that record is copied forward too, else the segment holding it would never be dead.
    /// </summary>
    /// <param name="entry">The stream's published entry.</param>
    /// <param name="retention">Null when the log does not retain the events checkpoints cover: the copy keeps the base and the
    /// events after it (and, when the base lies in a copy holding older checkpoints, as a checkpoint deletion's copy can, those
    /// checkpoints and the events after the oldest of them, as that copy holds them). Otherwise
    /// (<see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>) the copy keeps the events of the stream's current
    /// incarnation still stored that the stream's policy keeps (every one after the base), the base after those it covers,
    /// and the older checkpoints that share the base's copy (<see cref="PlanRewriteAsync"/>).</param>
    /// <param name="pool">The pool the read buffers are rented from.</param>
    /// <param name="rentals">The rented buffers are added here; the items' payloads point into them, so the caller
    /// returns them only once the items are no longer used.</param>
    /// <param name="scratch">Lists reused from one call to the next (the returned items are in a list of their own).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="shared">A cursor of <see cref="RelocationCursor"/> that several walks share (its windows rented into
    /// <paramref name="rentals"/> too), or null for one of this walk's own.</param>
    /// <exception cref="LogCorruptedException">A record on the way is damaged.</exception>
    /// <remarks>The segments are read on the calling thread (<see cref="RecordCursor"/>'s synchronous reads): without
    /// <paramref name="retention"/> the call completes synchronously.</remarks>
    public async ValueTask<(byte[] Id, List<RecordItem> Items)?> CollectForRelocationAsync(
        StreamEntry entry, HistoryRewrite? retention, ArrayPool<byte> pool, List<byte[]> rentals, RelocationScratch scratch, CancellationToken cancellationToken, RecordCursor? shared = null)
    {
        var cursor = shared ?? new RecordCursor(segments, maxRecordLength, pool, rentals, synchronousReads: true);
        if (retention is { } rewrite)
        {
            var plan = await PlanRewriteAsync(entry, rewrite, cursor, cancellationToken).ConfigureAwait(false);
            return plan is null ? null : (plan.Id, plan.Kept);
        }

        try
        {
            var older = scratch.Older;
            var items = scratch.Items;
            var events = scratch.Events;
            RecordItem? baseItem = null;
            bool hasBase = entry.HasBase;
            byte[]? id = null;
            long position = entry.LatestPosition;
            bool done = false;
            while (!done && position != LogPosition.None)
            {
                var read = await cursor.ReadAsync(position, cancellationToken).ConfigureAwait(false);
                if (read is not { } record)
                {
                    return null;
                }

                id = CheckSameStream(record, id);
                DecodeItems(record, items);
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
                    else if (hasBase && baseItem is null && item.Version == entry.BaseVersion && (item.Kind == RecordType.Tombstone) == entry.BaseIsTombstone)
                    {
                        baseItem = item;
                        int oldest = item.Kind == RecordType.Checkpoint && record.Header.Type == RecordType.Relocated
                            ? items.FindIndex(0, i, static x => x.Kind == RecordType.Checkpoint)
                            : -1;
                        for (int k = Math.Max(oldest, 0); oldest >= 0 && k < i; k++)
                        {
                            // The base is in a copy that holds older checkpoints (a checkpoint deletion kept them, with the events
                            // after the oldest): kept with it, in the copy's order, so a compaction never undoes a deletion.
                            older.Add(items[k]);
                        }

                        done = item.Kind == RecordType.Tombstone
                            || (events.Count > 0 ? events[^1].Version == item.Version + 1 : item.Version >= entry.Version);
                    }
                }

                position = NextBackPointer(record, position);
            }

            if (id is null || (hasBase && baseItem is null))
            {
                return null;
            }

            var output = new List<RecordItem>(older.Count + 1 + events.Count);
            output.AddRange(older);
            if (baseItem is { } b)
            {
                output.Add(b);
            }

            for (int i = events.Count - 1; i >= 0; i--)
            {
                output.Add(events[i]);
            }

            return (id, output);
        }
        finally
        {
            // No payload of this copy stays referenced by the reused lists once the copy is handed on.
            scratch.Clear();
        }
    }

    /// <summary>
    /// The stream id of a chain walk: taken from its first record; every later record must carry the same id (a
    /// back-pointer into another stream is corruption).
    /// </summary>
    private static byte[] CheckSameStream(in StoredRecord record, byte[]? id)
    {
        if (id is null)
        {
            return record.StreamId.ToArray();
        }

        return record.StreamId.SequenceEqual(id)
            ? id
            : throw new LogCorruptedException(record.Path, record.Offset, "a back-pointer leads to a record of another stream");
    }

    private static StoredEvent ToStoredEvent(in RecordItem item)
        => new(item.Version, item.Lsn, new DateTimeOffset(item.TimestampTicks, TimeSpan.Zero), item.Payload);

    private void DecodeItems(in StoredRecord record, List<RecordItem> items)
    {
        items.Clear();
        if (!RecordCodec.TryDecodeItems(record.Header, record.Bytes, items, out string? reason))
        {
            throw new LogCorruptedException(record.Path, record.Offset, reason ?? "malformed body");
        }

        Encryption.PayloadCipher.OpenItems(Cipher, record.Header, record.Bytes.Span, items, record.Path, record.Offset);
    }

    /// <summary>
    /// The previous record of the stream. The writer only ever points a record at an earlier one (positions grow in
    /// write order; a relocated record starts a fresh chain), so a pointer that does not go strictly backwards is
    /// corruption: following it could loop forever.
    /// </summary>
    private static long NextBackPointer(in StoredRecord record, long position)
    {
        long previous = record.Header.PrevPosition;
        if (previous != LogPosition.None && (previous < 0 || previous >= position))
        {
            throw new LogCorruptedException(
                record.Path,
                record.Offset,
                $"the back-pointer to the stream's previous record ({LogPosition.Format(previous)}) does not point backwards from {LogPosition.Format(position)}");
        }

        return previous;
    }

    /// <summary>The outcome of one walk.</summary>
    private readonly record struct Walk(StreamReadResult? Result, long Gone, bool NotThisStream);
}
