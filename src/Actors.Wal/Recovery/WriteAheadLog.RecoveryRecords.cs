using System.Text;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;
using Actors.Wal.Space;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
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

    /// <summary>A record position of the snapshot's index that lies in a segment that is not open, or null.</summary>
    /// <remarks>
    /// Space management writes a fresh snapshot before it deletes a segment, so a snapshot never indexes a record in a
    /// segment deleted on purpose: such a position means the segment holding acknowledged records was lost.
    /// </remarks>
    private long? PositionOutsideOpenedSegments(RecoverySnapshot snapshot)
    {
        foreach (var entry in snapshot.Streams)
        {
            if (!_segments.ContainsKey(LogPosition.Segment(entry.LatestPosition)))
            {
                return entry.LatestPosition;
            }
        }

        return null;
    }

    /// <summary>
    /// Refuses (or, under Salvage, reports) segment files that contradict a durable claim: the segment holding the
    /// snapshot's recovery point is missing, or a file ends before the offset a claim says was durable.
    /// </summary>
    private bool CheckDurableClaims(DurableClaims claims, List<(Segment Segment, SegmentReader Reader)> opened, List<string> notes)
    {
        bool violated = false;
        if (claims.RecoveryPointSegment is uint rp && claims.TryGet(rp, out long rpEnd, out string rpSource)
            && !opened.Exists(o => o.Segment.Id == rp) && !_retainedSegments.Contains(rp))
        {
            violated = true;
            string path = Path.Combine(_options.Directory, SegmentHeader.FileName(rp));
            string reason = $"the segment is missing although {rpSource} records acknowledged data in it up to offset {rpEnd}";
            if (_options.RecoveryMode != RecoveryMode.Salvage)
            {
                throw new LogCorruptedException(path, 0, reason);
            }

            notes.Add($"{path}: {reason}; its acknowledged records are lost (salvage).");
        }

        foreach (var (segment, reader) in opened)
        {
            if (claims.TryGet(segment.Id, out long end, out string source) && reader.FileLength < end)
            {
                violated = true;
                string reason = $"the file is {reader.FileLength} bytes long, but {source} records acknowledged data up to offset {end}";
                if (_options.RecoveryMode != RecoveryMode.Salvage)
                {
                    throw new LogCorruptedException(segment.Path, reader.FileLength, reason);
                }

                notes.Add($"{segment.Path} offset {reader.FileLength}: {reason}; the acknowledged records after offset {reader.FileLength} are lost (salvage).");
            }
        }

        return violated;
    }

    /// <summary>Applies one scanned record to the index and the live bytes, exactly as the writer did.</summary>
    /// <remarks>
    /// A record at or before the entry's latest position is already reflected in the entry (a snapshot may hold entries
    /// newer than its recovery point): skipping it makes replaying the log after the recovery point idempotent.
    /// </remarks>
    private void RecoverRecord(uint segmentId, in ScannedRecord record, List<RecordItem> items)
    {
        var h = record.Header;
        _lastTimestamp = Math.Max(_lastTimestamp, h.TimestampTicks);
        long position = LogPosition.Create(segmentId, record.Offset);
        ReadOnlySpan<byte> idBytes = record.Bytes.Span.Slice(RecordHeader.Size, h.StreamIdLength);
        ulong hash = StreamHash.Compute(idBytes);
        string id = Encoding.UTF8.GetString(idBytes);
        (RecordType Kind, long Version) relocatedBase = default;
        if (h.Type == RecordType.Relocated)
        {
            items.Clear();
            if (!RecordCodec.TryDecodeItems(h, record.Bytes, items, out string? reason))
            {
                throw new LogCorruptedException(_segments[segmentId].Path, record.Offset, reason ?? "malformed relocated record");
            }

            relocatedBase = items.Count > 0 ? (items[0].Kind, items[0].Version) : (RecordType.Events, 0);
        }
        else
        {
            _nextLsn = Math.Max(_nextLsn, h.LastLsn + 1);
        }

        lock (_stateLock)
        {
            int slot = _index.Find(hash, id, MatchesOnDisk);
            if (slot < 0)
            {
                slot = _index.Add(StreamEntry.CreateNew(hash), id);
            }

            ref StreamEntry entry = ref _index.At(slot);
            if (entry.LatestPosition == LogPosition.None || position > entry.LatestPosition)
            {
                entry.Apply(h.Type, position, h.Length, h.LastVersion, relocatedBase, _options.RetainCheckpointedEvents, _space);
            }
        }
    }
}
