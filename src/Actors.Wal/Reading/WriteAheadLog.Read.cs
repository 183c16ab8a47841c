using System.Text;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Segments;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    private const int ReadAttempts = 3;
    private const int SpeculativeReadBytes = 512;

    /// <inheritdoc />
    /// <exception cref="EventsReclaimedException">A point-in-time bound reaches records that space management already deleted.</exception>
    public ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ReadBound bound = default, CancellationToken cancellationToken = default)
    {
        StreamId.Validate(streamId);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        byte[] id = Encoding.UTF8.GetBytes(streamId);
        for (int attempt = 1; ; attempt++)
        {
            if (!TryGetEntry(streamId, out var entry))
            {
                return ValueTask.FromResult(new StreamReadResult(streamId, null, [], 0, false));
            }

            var result = WalkStream(streamId, id, entry, bound, cancellationToken, out long gone);
            if (result is not null)
            {
                return ValueTask.FromResult(result);
            }

            // A record on the path is in a segment that is gone: the log was closed, compaction moved the stream
            // meanwhile (then the entry changed: retry), or the segment was lost (Salvage opened without it).
            ThrowIfClosed();
            if (attempt == ReadAttempts || (TryGetEntry(streamId, out var now) && now.LatestPosition == entry.LatestPosition))
            {
                // A latest read only walks records the index keeps live: their segment cannot have been reclaimed.
                // A point-in-time read may reach below the base, where space management deletes on purpose.
                throw bound.IsLatest ? MissingRecord(streamId, gone) : new EventsReclaimedException(streamId, bound.ToVersion ?? 1, entry.BaseVersion + 1);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, long fromVersion, long toVersion, CancellationToken cancellationToken = default)
    {
        StreamId.Validate(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (toVersion < fromVersion || !TryGetEntry(streamId, out var entry))
        {
            return ValueTask.FromResult<IReadOnlyList<StoredEvent>>([]);
        }

        byte[] id = Encoding.UTF8.GetBytes(streamId);
        for (int attempt = 1; ; attempt++)
        {
            var collected = CollectEvents(streamId, id, entry, fromVersion, toVersion, cancellationToken);
            if (collected is not null)
            {
                return ValueTask.FromResult<IReadOnlyList<StoredEvent>>(collected);
            }

            // A record on the path is in a segment that is gone: the log was closed, or compaction moved the stream
            // meanwhile (then the index entry changed: retry with it), or the events were really reclaimed.
            ThrowIfClosed();
            long previous = entry.LatestPosition;
            if (!TryGetEntry(streamId, out entry))
            {
                return ValueTask.FromResult<IReadOnlyList<StoredEvent>>([]);
            }

            if (attempt == ReadAttempts || entry.LatestPosition == previous)
            {
                try
                {
                    var partial = CollectEvents(streamId, id, entry, fromVersion, toVersion, cancellationToken, stopAtGap: true)!;
                    ThrowIfClosed();
                    return ValueTask.FromResult<IReadOnlyList<StoredEvent>>(partial);
                }
                catch (EventsReclaimedException)
                {
                    // Segments vanish when the log closes too: that is not a reclaim.
                    ThrowIfClosed();
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// Collects the events of [<paramref name="fromVersion"/>, <paramref name="toVersion"/>] by walking back from the
    /// stream's latest record. Returns null when a record on the path is in a deleted segment, unless
    /// <paramref name="stopAtGap"/>, which treats that as the end of what is stored.
    /// </summary>
    /// <exception cref="EventsReclaimedException">Requested events are no longer stored.</exception>
    private List<StoredEvent>? CollectEvents(
        string streamId, byte[] id, StreamEntry entry, long fromVersion, long toVersion, CancellationToken cancellationToken, bool stopAtGap = false)
    {
        long to = Math.Min(toVersion, entry.Version);
        var collected = new List<StoredEvent>();
        var items = new List<RecordItem>();
        long floor = fromVersion;
        long position = entry.LatestPosition;
        bool done = false;
        while (!done && position != LogPosition.None)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = ReadRecord(position, id);
            if (record is null)
            {
                if (!stopAtGap)
                {
                    return null;
                }

                break;
            }

            DecodeItems(record.Value, items);
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

            position = NextBackPointer(record.Value, position);
        }

        collected.Reverse();
        long expected = Math.Max(0, to - floor + 1);
        if (collected.Count < expected)
        {
            long oldest = collected.Count > 0 ? collected[0].Version : Math.Max(floor, entry.BaseVersion + 1);
            throw new EventsReclaimedException(streamId, fromVersion, oldest);
        }

        return collected;
    }

    /// <summary>
    /// Walks the stream's back-pointer chain from its latest record and returns the newest checkpoint within the
    /// bound plus the events after it. Returns null when a record on the path is in a deleted segment (the caller
    /// retries with a fresh index entry: compaction moved the stream meanwhile).
    /// </summary>
    private StreamReadResult? WalkStream(string streamId, byte[] id, StreamEntry entry, ReadBound bound, CancellationToken cancellationToken, out long gone)
    {
        gone = LogPosition.None;
        long maxVersion = bound.ToVersion ?? long.MaxValue;
        long maxTicks = bound.AsOf?.UtcTicks ?? long.MaxValue;
        long knownTop = Math.Min(entry.Version, maxVersion);
        var events = new List<StoredEvent>();
        var items = new List<RecordItem>();
        StoredCheckpoint? checkpoint = null;
        bool deleted = false;
        long deletedVersion = 0;
        bool done = false;
        long position = entry.LatestPosition;
        while (!done && position != LogPosition.None)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = ReadRecord(position, id);
            if (record is null)
            {
                gone = position;
                return null;
            }

            DecodeItems(record.Value, items);
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

            position = NextBackPointer(record.Value, position);
        }

        if (deleted)
        {
            return new StreamReadResult(streamId, null, [], deletedVersion, true);
        }

        events.Reverse();
        long version = events.Count > 0 ? events[^1].Version : checkpoint?.Version ?? 0;
        return new StreamReadResult(streamId, checkpoint, events, version, false);
    }

    /// <summary>The error for a stream whose read path leads into a segment that is not there.</summary>
    private LogCorruptedException MissingRecord(string streamId, long position) => new(
        Path.Combine(_options.Directory, SegmentHeader.FileName(LogPosition.Segment(position))),
        LogPosition.Offset(position),
        $"stream '{streamId}' needs its record at {LogPosition.Format(position)}, but the segment is missing (its records were lost; see the recovery notes of the open)");

    private static StoredEvent ToStoredEvent(in RecordItem item)
        => new(item.Version, item.Lsn, new DateTimeOffset(item.TimestampTicks, TimeSpan.Zero), item.Payload);

    private void DecodeItems(in StoredRecord record, List<RecordItem> items)
    {
        items.Clear();
        if (!RecordCodec.TryDecodeItems(record.Header, record.Bytes, items, out string? reason))
        {
            throw new LogCorruptedException(record.Path, record.Offset, reason ?? "malformed body");
        }
    }

    private bool TryGetEntry(string streamId, out StreamEntry entry)
    {
        ulong hash = StreamHash.Compute(Encoding.UTF8.GetBytes(streamId));
        lock (_stateLock)
        {
            int slot = _index.Find(hash, streamId, MatchesOnDisk);
            entry = slot >= 0 ? _index.At(slot) : default;
            return slot >= 0;
        }
    }

    /// <summary>True when the record at <paramref name="position"/> belongs to <paramref name="streamId"/> (index collision check).</summary>
    /// <remarks>
    /// Reads only the header and the stream id: a matching id is accepted (damage cannot plausibly turn one id into
    /// another); a different id is confirmed with a full CRC check, so corruption is reported rather than taken for
    /// a hash collision.
    /// </remarks>
    private bool MatchesOnDisk(long position, string streamId)
    {
        byte[] expected = Encoding.UTF8.GetBytes(streamId);
        uint segmentId = LogPosition.Segment(position);
        long offset = LogPosition.Offset(position);
        Segment? segment;
        lock (_stateLock)
        {
            if (!_segments.TryGetValue(segmentId, out segment) || !segment.TryAcquire())
            {
                throw MissingRecord(streamId, position);
            }
        }

        try
        {
            Span<byte> head = stackalloc byte[RecordHeader.Size + StreamId.MaxByteLength];
            int n = segment.File.Read(offset, head);
            if (RecordHeader.TryRead(head[..n], _maxRecordLength, out var header, out _)
                && n >= RecordHeader.Size + header.StreamIdLength
                && head.Slice(RecordHeader.Size, header.StreamIdLength).SequenceEqual(expected))
            {
                return true;
            }
        }
        finally
        {
            segment.Release();
        }

        var record = ReadRecordUnchecked(position);
        return record is { } r && r.Bytes.Span.Slice(RecordHeader.Size, r.Header.StreamIdLength).SequenceEqual(expected);
    }

    /// <summary>
    /// The previous record of the stream. The writer only ever points a record at an earlier one (positions grow
    /// in write order; a relocated record points at older records), so a pointer that does not go strictly
    /// backwards is corruption: following it could loop forever.
    /// </summary>
    private static long NextBackPointer(StoredRecord record, long position)
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

    /// <summary>Reads and verifies the record at <paramref name="position"/> and checks it belongs to the stream; null when its segment was deleted.</summary>
    private StoredRecord? ReadRecord(long position, byte[] streamId)
    {
        var record = ReadRecordUnchecked(position);
        if (record is { } r && !r.Bytes.Span.Slice(RecordHeader.Size, r.Header.StreamIdLength).SequenceEqual(streamId))
        {
            throw new LogCorruptedException(r.Path, r.Offset, "a back-pointer leads to a record of another stream");
        }

        return record;
    }

    /// <summary>Reads and CRC-checks the record at <paramref name="position"/>; null when its segment was deleted.</summary>
    internal StoredRecord? ReadRecordUnchecked(long position)
    {
        uint segmentId = LogPosition.Segment(position);
        long offset = LogPosition.Offset(position);
        Segment? segment;
        lock (_stateLock)
        {
            if (!_segments.TryGetValue(segmentId, out segment) || !segment.TryAcquire())
            {
                return null;
            }
        }

        try
        {
            // One read serves small records entirely; larger ones read the rest in a second call.
            Span<byte> head = stackalloc byte[SpeculativeReadBytes];
            int n = segment.File.Read(offset, head);
            if (!RecordHeader.TryRead(head[..n], _maxRecordLength, out var header, out string? reason))
            {
                throw new LogCorruptedException(segment.Path, offset, reason ?? "invalid record header");
            }

            byte[] bytes = new byte[header.Length];
            int prefix = Math.Min(n, bytes.Length);
            head[..prefix].CopyTo(bytes);
            if (prefix < bytes.Length && segment.File.Read(offset + prefix, bytes.AsSpan(prefix)) < bytes.Length - prefix)
            {
                throw new LogCorruptedException(segment.Path, offset, "the record is cut off by the end of the file");
            }

            if (!RecordCodec.CrcMatches(bytes))
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

    /// <summary>A record read from disk.</summary>
    internal readonly record struct StoredRecord(RecordHeader Header, ReadOnlyMemory<byte> Bytes, string Path, long Offset);
}
