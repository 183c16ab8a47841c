using System.Text;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Segments;

namespace Actors.Wal.Recovery;

internal sealed partial class LogRecovery
{
    /// <summary>Pass 2: scans the records after the recovery point.</summary>
    private ScanOutcome ScanRecords(
        List<(Segment Segment, SegmentReader Reader)> opened,
        RecoverySnapshot? snapshot,
        DurableClaims claims,
        SegmentManifest? manifest)
    {
        var outcome = default(ScanOutcome);
        var items = new List<RecordItem>();
        for (int i = 0; i < opened.Count; i++)
        {
            var (segment, reader) = opened[i];
            bool isLast = i == opened.Count - 1;
            if (snapshot is not null && segment.Id < snapshot.RecoveryPointSegment)
            {
                continue;
            }

            outcome.SegmentsScanned++;
            long offset = snapshot is not null && segment.Id == snapshot.RecoveryPointSegment ? snapshot.RecoveryPointOffset : SegmentHeader.Size;
            while (true)
            {
                var status = reader.ReadAt(offset, out var record);
                if (status == ScanStatus.Record)
                {
                    offset += record.Header.Length;
                    if (record.Header.Type == RecordType.Seal)
                    {
                        _lastTimestamp = Math.Max(_lastTimestamp, record.Header.TimestampTicks);
                        segment.MarkSealed(record.Header.TimestampTicks);
                        break;
                    }

                    RecoverRecord(segment, record, items);
                    outcome.RecordsScanned++;
                    continue;
                }

                if (status is ScanStatus.End or ScanStatus.EndOfFile || IsCleanEndOfRecycledSegment(snapshot, segment, offset))
                {
                    break;
                }

                long next = reader.FindNextValidRecord(offset);
                string reason = record.Damage ?? "damaged record";
                bool acknowledged = claims.Covers(segment.Id, offset, out string claimWhy);
                if (_options.RecoveryMode == RecoveryMode.Salvage)
                {
                    outcome.Corrupted++;
                    outcome.ClaimsViolated |= acknowledged;
                    _notes.Add($"{segment.Path} offset {offset}: {reason}{(acknowledged ? "; " + claimWhy : "")}; skipped (salvage){DescribeSkipped(reader, record, next)}.");
                    if (next >= 0)
                    {
                        offset = next;
                        continue;
                    }

                    if (isLast)
                    {
                        outcome.TornTail = (segment, offset);
                    }

                    break;
                }

                if (isLast && next < 0 && !acknowledged && _options.RecoveryMode == RecoveryMode.TolerateTornTail)
                {
                    outcome.TornTail = (segment, offset);
                    break;
                }

                string why = acknowledged ? "; " + claimWhy
                    : next >= 0 ? $"; a valid record follows at offset {next}, so this is not a torn tail"
                    : !isLast ? "; the segment is not the last one, so this is not a torn tail"
                    : "; AbsoluteConsistency refuses any damage, including a torn tail";
                throw new LogCorruptedException(segment.Path, offset, reason + why);
            }

            segment.WrittenOffset = offset;
            segment.DurableOffset = offset;

            if (!isLast && !segment.IsSealed)
            {
                string reason = "the segment ends without a seal record although a later segment exists";
                if (_options.RecoveryMode != RecoveryMode.Salvage)
                {
                    throw new LogCorruptedException(segment.Path, offset, reason);
                }

                _notes.Add($"{segment.Path} offset {offset}: {reason} (salvage).");
            }
        }

        return outcome;
    }

    /// <summary>
    /// True when the scan stops at the recovery point of a clean-shutdown snapshot in a recycled file with salted records:
    /// the log wrote nothing after it (the snapshot is the end of the log, everything before it synced), so the bytes
    /// there are an earlier incarnation's (they fail validation under this segment's salt): the end, nothing to cut.
    /// Anywhere else such bytes are treated as a torn tail and cut (nothing after a torn tail was acknowledged either).
    /// </summary>
    private static bool IsCleanEndOfRecycledSegment(RecoverySnapshot? snapshot, Segment segment, long offset)
        => snapshot is { Clean: true } && segment.Header.RecordSalt != 0 && segment.Header.IsRecycledFile
            && segment.Id == snapshot.RecoveryPointSegment && offset == snapshot.RecoveryPointOffset;

    /// <summary>Applies one scanned record to the index and the live bytes, exactly as the writer did.</summary>
    /// <remarks>
    /// A record at or before the entry's latest position is already reflected in the entry (a snapshot may hold entries
    /// newer than its recovery point): skipping it makes replaying the log after the recovery point idempotent.
    /// </remarks>
    private void RecoverRecord(Segment segment, in ScannedRecord record, List<RecordItem> items)
    {
        var h = record.Header;
        _lastTimestamp = Math.Max(_lastTimestamp, h.TimestampTicks);
        long position = LogPosition.Create(segment.Id, record.Offset);
        ReadOnlySpan<byte> idBytes = record.Bytes.Span.Slice(RecordHeader.Size, h.StreamIdLength);
        string id = Encoding.UTF8.GetString(idBytes);
        (RecordType Kind, long Version) relocatedBase = default;
        if (h.Type == RecordType.Relocated)
        {
            items.Clear();
            if (!RecordCodec.TryDecodeItems(h, record.Bytes, items, out string? reason))
            {
                throw new LogCorruptedException(segment.Path, record.Offset, reason ?? "malformed relocated record");
            }

            relocatedBase = RecordCodec.RelocatedBase(items);
        }
        else
        {
            _nextLsn = Math.Max(_nextLsn, h.LastLsn + 1);
        }

        if (!_touched.TryGetValue(id, out var hot))
        {
            ulong hash = StreamHash.Compute(idBytes);
            if (_index.TryFind(id, hash, _reader.MatchesOnDisk, out var entry, out var published, out int idleSlot))
            {
                // An entry loaded from the snapshot has no retention decision (it is not persisted): decided now, as the
                // writer decides when it promotes an idle entry, so the records after the recovery point apply alike.
                if (published is null)
                {
                    entry.DecideRetention(_options, id);
                }

                hot = published ?? new HotStream(id, entry, idleSlot);
            }
            else
            {
                var created = StreamEntry.CreateNew(hash);
                created.DecideRetention(_options, id);
                hot = new HotStream(id, created, -1);
            }

            if (!hot.IsPublished)
            {
                _index.AddHot(hot);
            }

            _touched[id] = hot;
        }

        StreamEntry current = hot.Owned;
        if (current.LatestPosition == LogPosition.None || position > current.LatestPosition)
        {
            current.Apply(h.Type, position, h.Length, h.LastVersion, relocatedBase, _options.RetainCheckpointedEvents, space: null);
            hot.Publish(current);
        }
    }

    /// <summary>
    /// After the scan: every indexed stream's latest record must lie in a segment that is there (a snapshot entry can
    /// point into a spare the scan did not take into use only if acknowledged records were lost). Refused outside
    /// Salvage; Salvage keeps the entry so that reading the stream reports the loss.
    /// </summary>
    private bool CheckIndexAgainstSegments()
    {
        var segments = _segments.Current;
        foreach (var entry in StreamIndex.Entries(_index.Current))
        {
            uint id = LogPosition.Segment(entry.LatestPosition);
            if (entry.LatestPosition != LogPosition.None && !segments.Contains(id) && !_retained.Contains(id))
            {
                string path = Path.Combine(_options.Directory, SegmentHeader.FileName(id));
                string reason = $"{RecoverySnapshot.FileName} indexes an acknowledged record at {LogPosition.Format(entry.LatestPosition)} in this segment, which is missing";
                if (_options.RecoveryMode != RecoveryMode.Salvage)
                {
                    throw new LogCorruptedException(path, LogPosition.Offset(entry.LatestPosition), reason);
                }

                _notes.Add($"{path}: {reason}; reading the affected streams reports the loss (salvage).");
                return true;
            }
        }

        return false;
    }

    /// <summary>Sets every segment's live bytes to the sum of the stream runs there.</summary>
    private void RecomputeLiveBytes()
    {
        foreach (var segment in _segments.Current.All)
        {
            segment.SetLive(0);
        }

        var segments = _segments;
        foreach (var entry in StreamIndex.Entries(_index.Current))
        {
            entry.ForEachRun(ref segments, static (ref SegmentManager manager, uint segment, long bytes) => manager.AddLive(segment, bytes));
        }
    }

    /// <summary>What a record Salvage skips held, as far as its (unverified) header tells: for the recovery notes.</summary>
    private static string DescribeSkipped(SegmentReader reader, in ScannedRecord damaged, long next)
    {
        long end = next >= 0 ? next : reader.FileLength;
        string span = $": {end - damaged.Offset} bytes up to offset {end}";
        if (!reader.TryPeek(damaged.Offset, out var h, out string? id) || id is null)
        {
            return span + " (no readable record header)";
        }

        string what = h.Type switch
        {
            RecordType.Events => $"events {h.FirstVersion}..{h.LastVersion}",
            RecordType.Checkpoint => $"a checkpoint of version {h.FirstVersion}",
            RecordType.Tombstone => $"a deletion at version {h.FirstVersion}",
            _ => $"{h.ItemCount} relocated item(s) up to version {h.FirstVersion}",
        };
        return $"{span}; the damaged header names {what} of stream '{id}' (unverified), which are lost";
    }

    /// <summary>What pass 2 found.</summary>
    private struct ScanOutcome
    {
        public long RecordsScanned;
        public long Corrupted;
        public int SegmentsScanned;
        public (Segment Segment, long Offset)? TornTail;
        public bool ClaimsViolated;
    }
}
