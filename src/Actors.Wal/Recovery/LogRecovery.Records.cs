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
            long start = snapshot is not null && segment.Id == snapshot.RecoveryPointSegment ? snapshot.RecoveryPointOffset : SegmentHeader.Size;
            var walker = new SegmentWalker(reader, segment.Id, segment.Header, start, isLast, claims, snapshot);
            bool walking = true;
            while (walking)
            {
                switch (walker.Next(out var record, out var damage))
                {
                    case SegmentWalker.Step.Record:
                        RecoverRecord(segment, record, items);
                        outcome.RecordsScanned++;
                        break;
                    case SegmentWalker.Step.Seal:
                        _lastTimestamp = Math.Max(_lastTimestamp, record.Header.TimestampTicks);
                        segment.MarkSealed(record.Header.TimestampTicks);
                        walking = false;
                        break;
                    case SegmentWalker.Step.End:
                        walking = false;
                        break;
                    default:
                        walking = OnDamage(segment, reader, walker, damage, ref outcome);
                        break;
                }
            }

            long offset = walker.Offset;
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
    /// What recovery does about damage the walk found (decision tree 7d), by mode: Salvage skips it and notes it (the last
    /// damage of the last segment with nothing valid after it is cut as a torn tail); TolerateTornTail cuts a torn tail;
    /// anything else refuses with <see cref="LogCorruptedException"/> before any file is modified.
    /// </summary>
    /// <returns>True when the walk goes on at the next valid record.</returns>
    private bool OnDamage(Segment segment, SegmentReader reader, SegmentWalker walker, in SegmentDamage damage, ref ScanOutcome outcome)
    {
        if (_options.RecoveryMode == RecoveryMode.Salvage)
        {
            outcome.Corrupted++;
            outcome.ClaimsViolated |= damage.Acknowledged;
            _notes.Add($"{segment.Path} offset {damage.Offset}: {damage.Reason}{(damage.Acknowledged ? "; " + damage.ClaimWhy : "")}; skipped (salvage){DescribeSkipped(reader, damage.Offset, damage.Next)}.");
            if (walker.ResumeAfter(damage))
            {
                return true;
            }

            if (damage.InLastSegment)
            {
                outcome.TornTail = (segment, damage.Offset);
            }

            return false;
        }

        if (damage.IsTornTail && _options.RecoveryMode == RecoveryMode.TolerateTornTail)
        {
            outcome.TornTail = (segment, damage.Offset);
            return false;
        }

        string why = damage.NotTornTailBecause ?? "; AbsoluteConsistency refuses any damage, including a torn tail";
        throw new LogCorruptedException(segment.Path, damage.Offset, damage.Reason + why);
    }

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
            segment.AddCopied(h.Length);
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
    private static string DescribeSkipped(SegmentReader reader, long offset, long next)
    {
        long end = next >= 0 ? next : reader.FileLength;
        string span = $": {end - offset} bytes up to offset {end}";
        if (!reader.TryPeek(offset, out var h, out string? id) || id is null)
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
}
