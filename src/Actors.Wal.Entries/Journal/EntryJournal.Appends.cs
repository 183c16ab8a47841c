namespace Actors.Wal.Entries.Journal;

/// <summary>
/// The append path (methods only; the state is declared in EntryJournal.cs): records are framed into the write buffer
/// under the lock, a new segment is started when the active one is full (sealed first: buffer written, reserve cut,
/// synced), and the buffer is handed to the active segment's file when it is full, when a read needs it, or by the group
/// commit before its fsync.
/// </summary>
public sealed partial class EntryJournal
{
    /// <summary>Appends <paramref name="entries"/> (validated by the log) as records of <paramref name="index"/>'s log and adds them to it; not durable until a sync covers them.</summary>
    internal void AppendEntries(JournalLogIndex index, IReadOnlyList<LoggedEntry> entries)
    {
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            foreach (var entry in entries)
            {
                var location = AppendRecordLocked(JournalRecordKind.Entry, index.LogId, entry.Lsn, entry.Epoch, entry.Payload.Span);
                if (!index.TryAdd(entry.Lsn, entry.Epoch, location))
                {
                    throw new InvalidOperationException($"Log {index.LogId}: entry {entry.Lsn} does not follow its end {index.EndLsn} (the log validates before appending).");
                }

                index.LastPosition = _segments.Active.EndPosition;
            }

            WriteBufferIfFullLocked();
        }
    }

    /// <summary>Appends a truncation record (entries after <paramref name="lsn"/> are gone) and applies it to <paramref name="index"/>; returns the position to sync to.</summary>
    internal long AppendTruncate(JournalLogIndex index, long lsn)
    {
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            AppendRecordLocked(JournalRecordKind.Truncate, index.LogId, lsn, 0, []);

            // The removed entries' segments stay until the record is durable: a crash before it keeps them in the log.
            index.TruncateAfter(lsn, _segments.Active.EndPosition);
            index.LastPosition = _segments.Active.EndPosition;
            return index.LastPosition;
        }
    }

    /// <summary>Appends a reset record (the log is a checkpoint at <paramref name="lsn"/> with no entry) and applies it to <paramref name="index"/>; returns the position to sync to.</summary>
    internal long AppendReset(JournalLogIndex index, long lsn, long epoch)
    {
        lock (_lock)
        {
            _usability.ThrowIfUnusable();
            AppendRecordLocked(JournalRecordKind.Reset, index.LogId, lsn, epoch, []);
            index.Clear(lsn);
            index.LastPosition = _segments.Active.EndPosition;
            return index.LastPosition;
        }
    }

    private JournalLocation AppendRecordLocked(JournalRecordKind kind, int logId, long lsn, long epoch, ReadOnlySpan<byte> payload)
    {
        var size = EntryJournalFormat.RecordSize(payload.Length);
        if (_segments.NeedsNewSegment(size, _options.SegmentSizeBytes))
        {
            StartSegmentLocked();
        }

        var segment = _segments.Active;
        _buffer.Add(kind, logId, lsn, epoch, payload);
        var location = new JournalLocation(segment.Ordinal, segment.Length, size);
        segment.Length += size;
        _recordsAppended++;
        return location;
    }

    /// <summary>Seals the active segment (its buffer written, then <see cref="JournalSegmentList.SealActive"/>, which makes it durable) and creates the next.</summary>
    private void StartSegmentLocked()
    {
        long firstPosition = 0;
        if (_segments.Count > 0)
        {
            WriteBufferLocked();
            firstPosition = _segments.SealActive();
            _waiters.CompleteThrough(firstPosition);
        }

        _segments.Create(firstPosition);
    }

    private void WriteBufferIfFullLocked()
    {
        if (_buffer.Length >= _options.MaxBufferedBytes)
        {
            WriteBufferLocked();
        }
    }

    /// <summary>Hands the buffered records to the active segment's file and zero-fills ahead of them when they reach the reserve's end.</summary>
    private void WriteBufferLocked()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        var segment = _segments.Active;
        var count = _buffer.Length;
        var offset = segment.WrittenLength;
        _usability.Guard("write", () => segment.File.Write(offset, _buffer.Records));
        _buffer.Clear();
        segment.WrittenLength = offset + count;
        _usability.Guard("zero-fill ahead", () => segment.ReservedLength = EntrySegmentFile.ZeroFillAhead(
            segment.File, segment.WrittenLength, segment.ReservedLength, _options.ZeroFillAheadBytes, _options.SegmentSizeBytes));
    }
}
