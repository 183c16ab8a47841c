using System.Runtime.CompilerServices;
using Actors.Wal.Format;
using Actors.Wal.Segments;
using Actors.Wal.Writing;

namespace Actors.Wal.ChangeFeed;

/// <summary>
/// One change-feed enumeration: walks the segments in id order from a position, hands out the items of every durable
/// Events, Checkpoint and Tombstone record in LSN order, and waits for the committer when it reaches the durable end.
/// </summary>
/// <remarks>
/// <para>Ownership: one enumeration, one consumer at a time; it holds one read window (at most
/// <see cref="ILogChangeFeed.ReadWindowBytes"/>, or one larger record) and pins a segment only during a read.</para>
/// <para>The readable end of a segment is the smaller of its durable offset and the committer's applied position (both
/// group boundaries): what lies below is on stable storage and published. LSNs are dense in file order (relocated copies
/// carry none of their own), so a change whose LSN is not the last one + 1 means the log lost the ones between.</para>
/// <para>A failed log ends the enumeration only once no commit runs (<see cref="Committer.IsCommitting"/>) and the
/// positions read after that show nothing more: a commit that found the log healthy acknowledges what it synced even
/// when the log fails meanwhile, and the reader hands that out before it reports the failure.</para>
/// </remarks>
internal sealed class ChangeFeedReader(
    string directory,
    SegmentManager segments,
    long maxRecordLength,
    Committer? committer,
    LogHealth health,
    Func<bool> isClosed,
    Func<long> durableLsn)
{
    private readonly List<RecordItem> _items = [];

    /// <summary>Opens encrypted payloads (null: the log is not encrypted).</summary>
    public Encryption.PayloadCipher? Cipher { get; init; }

    /// <summary>Enumerates the changes after <paramref name="from"/> (see <see cref="ILogChangeFeed.ReadChangesAsync"/>).</summary>
    public async IAsyncEnumerable<LogChange> ReadAsync(ChangeFeedPosition from, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        if (from.Lsn > durableLsn())
        {
            throw new ChangeFeedPositionException(directory, from, durableLsn(), "the position is beyond the log's durable end");
        }

        long lastLsn = from.Lsn;
        bool strict = from.Lsn >= 0;
        uint segmentId = from.Address < 0
            ? await FindStartSegmentAsync(from.Lsn, cancellationToken).ConfigureAwait(false)
            : LogPosition.Segment(from.Address);
        long offset = from.Address < 0 ? SegmentHeader.Size : Math.Max(SegmentHeader.Size, LogPosition.Offset(from.Address));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfClosed();
            long applied = committer?.AppliedPosition ?? long.MaxValue;
            var set = segments.Current;
            var segment = set.Find(segmentId);
            if (segment is null)
            {
                // Reclaimed (or never existed): continue in the next segment; the LSN check reports what was lost.
                ThrowIfClosed();
                if (set.After(segmentId) is { } next)
                {
                    (segmentId, offset) = (next.Id, SegmentHeader.Size);
                    continue;
                }

                throw new ChangeFeedPositionException(directory, new ChangeFeedPosition(lastLsn, LogPosition.Create(segmentId, offset)), durableLsn(), $"segment {segmentId} is not in the log and no later segment exists");
            }

            long end = ReadableEnd(segment, applied);
            if (offset < end)
            {
                var window = await ReadWindowAsync(segment, offset, end, cancellationToken).ConfigureAwait(false);
                if (window is null)
                {
                    continue; // deleted meanwhile: the next pass takes the missing-segment branch
                }

                int at = 0;
                while (at < window.Length)
                {
                    long recordOffset = offset + at;
                    if (window.Length - at < RecordHeader.Size && recordOffset + RecordHeader.Size <= end)
                    {
                        break; // the window ends inside this record's header; the next window starts at the record
                    }

                    var header = ReadHeader(segment, window, at, recordOffset, end);
                    if (at + header.Length > window.Length)
                    {
                        break; // the rest of this record is in the next window
                    }

                    var record = window.AsMemory(at, header.Length);
                    if (!RecordCodec.CrcMatches(record.Span))
                    {
                        throw new LogCorruptedException(segment.Path, recordOffset, $"the CRC of a {header.Type} record does not match (change feed)");
                    }

                    at += header.Length;
                    if (header.Type == RecordType.Seal)
                    {
                        break; // the segment ends here
                    }

                    if (header.Type == RecordType.Relocated || header.LastLsn <= lastLsn)
                    {
                        continue; // a copy of changes already handed out, or a record before the position
                    }

                    if (strict && header.FirstLsn > lastLsn + 1)
                    {
                        throw new ChangeFeedGapException(directory, new ChangeFeedPosition(lastLsn, LogPosition.Create(segmentId, recordOffset)), lastLsn + 1, header.FirstLsn - 1);
                    }

                    strict = true;
                    string streamId = System.Text.Encoding.UTF8.GetString(record.Span.Slice(RecordHeader.Size, header.StreamIdLength));
                    long address = LogPosition.Create(segmentId, recordOffset);
                    foreach (var change in Decode(segment, header, record, recordOffset, streamId, lastLsn, address))
                    {
                        lastLsn = change.Lsn;
                        yield return change;
                    }
                }

                offset += at;
                if (!IsSealedAt(segment, offset))
                {
                    continue;
                }
            }

            if (IsSealedAt(segment, offset))
            {
                if (segments.Current.After(segmentId) is { } next)
                {
                    (segmentId, offset) = (next.Id, SegmentHeader.Size);
                    continue;
                }
            }

            if (!follow || committer is null)
            {
                yield break;
            }

            // Take the waiter, then look at the health, then at the positions again: a commit after this point completes
            // the waiter, and a failed log with no commit running acknowledges nothing more than the positions show.
            var wake = committer.WhenAppliedBeyond(applied);
            bool failed = health.IsFailed;
            bool settled = failed && !committer.IsCommitting;
            if (ReadableEnd(segment, committer.AppliedPosition) > offset || (IsSealedAt(segment, offset) && segments.Current.After(segmentId) is not null))
            {
                continue;
            }

            if (settled)
            {
                throw health.NewError(); // everything durable was handed out; nothing more can come
            }

            // Failed while a commit runs: it may still acknowledge what it synced; its end completes the waiter.
            await (failed ? Task.WhenAny(wake, committer.Stopped) : Task.WhenAny(wake, committer.Stopped, health.WhenFailed)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The segment to start a read after <paramref name="lsn"/> without an address: the newest segment whose first change
    /// is at or below <c>lsn + 1</c> (one small read per segment tried, newest first); the oldest segment when none is
    /// known to be (the LSN check then reports a gap), or for <see cref="ChangeFeedPosition.Oldest"/> and LSN 0.
    /// </summary>
    private async ValueTask<uint> FindStartSegmentAsync(long lsn, CancellationToken cancellationToken)
    {
        var all = segments.Current.All;
        if (all.Count == 0)
        {
            return 1;
        }

        if (lsn > 0)
        {
            long applied = committer?.AppliedPosition ?? long.MaxValue;
            for (int i = all.Count - 1; i > 0; i--)
            {
                long? first = await FirstLsnAsync(all[i], ReadableEnd(all[i], applied), cancellationToken).ConfigureAwait(false);
                if (first is { } firstLsn && firstLsn <= lsn + 1)
                {
                    return all[i].Id;
                }
            }
        }

        return all[0].Id;
    }

    /// <summary>The first LSN in the first window of <paramref name="segment"/>, or null (empty, deleted, or only relocated copies there).</summary>
    private async ValueTask<long?> FirstLsnAsync(Segment segment, long end, CancellationToken cancellationToken)
    {
        if (end <= SegmentHeader.Size || await ReadWindowAsync(segment, SegmentHeader.Size, end, cancellationToken).ConfigureAwait(false) is not { } window)
        {
            return null;
        }

        int at = 0;
        while (window.Length - at >= RecordHeader.Size && RecordHeader.TryRead(window.AsSpan(at), maxRecordLength, out var header, out _) && at + header.Length <= window.Length)
        {
            if (header.Type is RecordType.Events or RecordType.Checkpoint or RecordType.Tombstone)
            {
                return header.FirstLsn;
            }

            at += header.Length;
        }

        return null;
    }

    /// <summary>Where a segment's durable, published records end.</summary>
    private static long ReadableEnd(Segment segment, long applied)
    {
        uint appliedSegment = LogPosition.Segment(applied);
        if (applied == long.MaxValue || segment.Id < appliedSegment)
        {
            return segment.DurableOffset;
        }

        return segment.Id == appliedSegment ? Math.Min(segment.DurableOffset, LogPosition.Offset(applied)) : SegmentHeader.Size;
    }

    /// <summary>True when <paramref name="offset"/> is at or past the end of a sealed segment (its seal record included).</summary>
    private static bool IsSealedAt(Segment segment, long offset)
        => segment.IsSealed && segment.DurableOffset >= segment.WrittenOffset && offset >= segment.WrittenOffset;

    /// <summary>Reads [<paramref name="offset"/>, end) up to a window, or one whole record longer than a window; null when the segment was deleted.</summary>
    private async ValueTask<byte[]?> ReadWindowAsync(Segment segment, long offset, long end, CancellationToken cancellationToken)
    {
        if (!segment.TryAcquire())
        {
            return null;
        }

        try
        {
            int length = (int)Math.Min(end - offset, ILogChangeFeed.ReadWindowBytes);
            byte[] window = new byte[length];
            int read = await segment.File.ReadAsync(offset, window, cancellationToken).ConfigureAwait(false);
            if (read < length)
            {
                throw new LogCorruptedException(segment.Path, offset + read, "the file ends before its durable records do (change feed)");
            }

            if (length >= RecordHeader.Size && RecordHeader.TryRead(window, maxRecordLength, out var header, out _) && header.Length > length && header.Length <= end - offset)
            {
                // One record longer than the window: read it whole, alone.
                window = new byte[header.Length];
                read = await segment.File.ReadAsync(offset, window, cancellationToken).ConfigureAwait(false);
                if (read < window.Length)
                {
                    throw new LogCorruptedException(segment.Path, offset + read, "the record is cut off by the end of the file (change feed)");
                }
            }

            return window;
        }
        finally
        {
            segment.Release();
        }
    }

    private RecordHeader ReadHeader(Segment segment, byte[] window, int at, long recordOffset, long end)
    {
        if (window.Length - at < RecordHeader.Size)
        {
            throw new LogCorruptedException(segment.Path, recordOffset, "a durable record header is cut off by the durable end (change feed)");
        }

        if (!RecordHeader.TryRead(window.AsSpan(at), maxRecordLength, out var header, out string? reason))
        {
            throw new LogCorruptedException(segment.Path, recordOffset, reason ?? "invalid record header (change feed)");
        }

        if (recordOffset + header.Length > end)
        {
            throw new LogCorruptedException(segment.Path, recordOffset, $"a {header.Type} record of {header.Length} bytes runs past the durable end {end} (change feed)");
        }

        return header;
    }

    private List<LogChange> Decode(Segment segment, in RecordHeader header, ReadOnlyMemory<byte> record, long recordOffset, string streamId, long lastLsn, long address)
    {
        _items.Clear();
        if (!RecordCodec.TryDecodeItems(header, record, _items, out string? reason))
        {
            throw new LogCorruptedException(segment.Path, recordOffset, reason ?? "the record body does not match its header (change feed)");
        }

        Encryption.PayloadCipher.OpenItems(Cipher, header, record.Span, _items, segment.Path, recordOffset);

        var changes = new List<LogChange>(_items.Count);
        foreach (var item in _items)
        {
            if (item.Lsn <= lastLsn)
            {
                continue;
            }

            var kind = item.Kind switch
            {
                RecordType.Events => LogChangeKind.Event,
                RecordType.Checkpoint => LogChangeKind.Checkpoint,
                _ => LogChangeKind.Tombstone,
            };
            changes.Add(new LogChange(kind, streamId, item.Version, item.Lsn, new DateTimeOffset(item.TimestampTicks, TimeSpan.Zero), item.Payload, new ChangeFeedPosition(item.Lsn, address)));
        }

        return changes;
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(isClosed(), typeof(WriteAheadLog));
}
