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
    private bool PointsOutsideOpenedSegments(RecoverySnapshot snapshot)
    {
        foreach (var entry in snapshot.Streams)
        {
            if (!_segments.ContainsKey(LogPosition.Segment(entry.LatestPosition))
                || (entry.BasePosition != LogPosition.None && !_segments.ContainsKey(LogPosition.Segment(entry.BasePosition))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Applies one scanned record to the index and the segment summary, exactly as the writer did.</summary>
    private void RecoverRecord(uint segmentId, in ScannedRecord record, List<RecordItem> items)
    {
        var h = record.Header;
        _lastTimestamp = Math.Max(_lastTimestamp, h.TimestampTicks);
        long position = LogPosition.Create(segmentId, record.Offset);
        ReadOnlySpan<byte> idBytes = record.Bytes.Span.Slice(RecordHeader.Size, h.StreamIdLength);
        ulong hash = StreamHash.Compute(idBytes);
        string id = Encoding.UTF8.GetString(idBytes);
        bool hasBase = false;
        bool baseIsTombstone = false;
        long baseVersion = 0;
        long version = h.LastVersion;
        long maxEventVersion = h.Type == RecordType.Events ? h.LastVersion : 0;
        if (h.Type == RecordType.Relocated)
        {
            items.Clear();
            if (!RecordCodec.TryDecodeItems(h, record.Bytes, items, out string? reason))
            {
                throw new LogCorruptedException(_segments[segmentId].Path, record.Offset, reason ?? "malformed relocated record");
            }

            if (items.Count > 0 && items[0].Kind != RecordType.Events)
            {
                hasBase = true;
                baseIsTombstone = items[0].Kind == RecordType.Tombstone;
                baseVersion = items[0].Version;
            }

            foreach (var item in items)
            {
                if (item.Kind == RecordType.Events)
                {
                    maxEventVersion = Math.Max(maxEventVersion, item.Version);
                }
            }
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

            _index.At(slot).Apply(h.Type, position, version, hasBase, baseIsTombstone, baseVersion, _options.RetainCheckpointedEvents);
            _summaries[segmentId].Add(hash, maxEventVersion, h.Length);
        }
    }

}
