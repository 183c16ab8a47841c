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
        await using var walk = new ChainWalk(segments, maxRecordLength, readAhead, id, entry.LatestPosition, AnchoredWalks, SpanPositionReads);
        var events = new List<StoredEvent>();
        var items = new List<RecordItem>();
        StoredCheckpoint? checkpoint = null;
        bool deleted = false;
        long deletedVersion = 0;
        long incarnationStart = 0; // the version the events read start after when no checkpoint does: a tombstone's, else 0
        long copiedVersion = 0;
        long copyStartsAt = 1; // the oldest version the chain's first record (a copy) still holds; 1 = the whole history
        bool done = false;
        bool first = true;
        while (!done && walk.HasNext)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = await walk.NextAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _lastWalkSequentialReads, walk.SequentialReads);
            if (read is not { } record)
            {
                return new Walk(null, walk.Position, false);
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

                        incarnationStart = item.Version;
                        done = true;
                        break;
                    default:
                        break;
                }
            }
        }

        if (deleted)
        {
            return new Walk(new StreamReadResult(streamId, null, [], deletedVersion, true), LogPosition.None, false);
        }

        if (!bound.IsLatest && checkpoint is null && events.Count == 0 && !walk.HasNext && copyStartsAt > 1)
        {
            // The bound excluded everything the chain still holds, and its first record is a copy that no longer holds the
            // stream's older versions (compacted below a checkpoint, or erased): the state asked for is not stored.
            throw new EventsReclaimedException(streamId, bound.ToVersion ?? 1, copyStartsAt);
        }

        events.Reverse();
        long start = checkpoint?.Version ?? incarnationStart;
        if (!bound.IsLatest && events.Count > 0 && events[0].Version != start + 1)
        {
            // The chain ended (a copy made by an erase or a checkpoint deletion, or compaction below a checkpoint) before
            // the events between the state's base and the bound: what remains is not the state as of the bound.
            throw new EventsReclaimedException(streamId, start + 1, events[0].Version);
        }

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
    internal static long NextBackPointer(in StoredRecord record, long position)
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

    /// <summary>False: stream reads walk plainly, ignoring anchor positions (the <see cref="ChainWalk.Switch"/> when the log opened; tests set it).</summary>
    public bool AnchoredWalks { get; set; } = ChainWalk.Enabled;

    /// <summary>False: anchored walks walk each span record by record, ignoring span positions (tests; the <see cref="ChainWalk.SpanPositionsSwitch"/> does the same for every log).</summary>
    public bool SpanPositionReads { get; set; } = true;

    /// <summary>The dependent reads behind the latest stream read's walk (<see cref="ChainWalk.SequentialReads"/>; tests).</summary>
    public int LastWalkSequentialReads => Volatile.Read(ref _lastWalkSequentialReads);

    /// <summary>The outcome of one walk.</summary>
    private readonly record struct Walk(StreamReadResult? Result, long Gone, bool NotThisStream);
}
