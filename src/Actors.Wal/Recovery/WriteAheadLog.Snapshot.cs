using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;
using Actors.Wal.Space;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Reads index.snapshot. Returns it when it can serve as the index; <paramref name="parsed"/> is the snapshot
    /// whenever its checksum holds (its durable positions are claims even when it cannot serve as the index).
    /// </summary>
    private RecoverySnapshot? LoadSnapshot(List<uint> segmentIds, List<string> notes, out RecoverySnapshot? parsed)
    {
        parsed = null;
        string path = Path.Combine(_options.Directory, RecoverySnapshot.FileName);
        if (!_fileSystem.FileExists(path))
        {
            return null;
        }

        byte[] data;
        using (var file = _fileSystem.OpenFile(path, WalFileMode.OpenReadOnly))
        {
            data = RecoverySnapshot.ReadAll(file);
        }

        var snapshot = RecoverySnapshot.TryParse(data, out string? reason);
        if (snapshot is null)
        {
            notes.Add($"{path}: {reason}; ignored, scanning every segment.");
            return null;
        }

        parsed = snapshot;
        var known = snapshot.Segments.Select(s => s.Id).ToHashSet();
        if (segmentIds.Exists(id => id < snapshot.RecoveryPointSegment && !known.Contains(id)))
        {
            notes.Add($"{path}: does not describe every segment before its recovery point; ignored, scanning every segment.");
            return null;
        }

        return snapshot;
    }

    /// <summary>
    /// Why the snapshot's offsets cannot describe the opened segment files (null when they fit): the recovery point
    /// and every write offset must lie between the segment header and the end of the file. A CRC-valid snapshot
    /// pointing past the end would otherwise make the writer append (and seal) at a bogus offset.
    /// </summary>
    private static string? SnapshotOffsetProblem(RecoverySnapshot snapshot, List<(Segment Segment, SegmentReader Reader)> opened)
    {
        foreach (var (segment, reader) in opened)
        {
            if (segment.Id == snapshot.RecoveryPointSegment
                && (snapshot.RecoveryPointOffset < SegmentHeader.Size || snapshot.RecoveryPointOffset > reader.FileLength))
            {
                return $"recovery point {snapshot.RecoveryPointOffset} lies outside {segment.Path} ({reader.FileLength} bytes)";
            }
        }

        foreach (var (id, _, writeOffset) in snapshot.Segments)
        {
            int i = opened.FindIndex(o => o.Segment.Id == id);
            if (i >= 0 && (writeOffset < SegmentHeader.Size || writeOffset > opened[i].Reader.FileLength))
            {
                return $"write offset {writeOffset} lies outside {opened[i].Segment.Path} ({opened[i].Reader.FileLength} bytes)";
            }
        }

        return null;
    }

    /// <summary>Hot index entries (about 56 bytes plus the id string each) kept across snapshots before demoting.</summary>
    private const int HotStreamsKeptAcrossSnapshots = 16_384;

    private void ApplySnapshot(RecoverySnapshot snapshot)
    {
        lock (_stateLock)
        {
            foreach (var entry in snapshot.Streams)
            {
                _index.Add(entry, null);
            }

            _index.DemoteAll();

            foreach (var (id, _, writeOffset) in snapshot.Segments)
            {
                if (_segments.TryGetValue(id, out var segment))
                {
                    segment.WriteOffset = writeOffset;
                }
            }
        }

        _nextLsn = Math.Max(_nextLsn, snapshot.NextLsn);
        _lastTimestamp = Math.Max(_lastTimestamp, snapshot.LastTimestamp);
    }

    /// <summary>Writes the recovery snapshot (everything up to the active segment's write offset must be durable).</summary>
    private void WriteSnapshot(bool clean)
    {
        ThrowIfAbandoned();
        var active = _active!;
        byte[] data;
        lock (_stateLock)
        {
            var segments = _segments.Values.Select(s => (s.Id, s.IsSealed, s.WriteOffset)).ToList();
            data = RecoverySnapshot.Serialize(clean, active.Id, active.WriteOffset, _nextLsn, _lastTimestamp, _index.OccupiedSlots().Select(slot => _index.At(slot)), _index.Count, segments);

            // Demote only when the hot tier grew large: demoting at every snapshot (each rotation and space pass)
            // made the next use of every active stream read its record from disk under this lock, stalling the
            // writer. Up to HotStreamsKeptAcrossSnapshots streams keep their id across snapshots.
            if (_index.HotCount > HotStreamsKeptAcrossSnapshots)
            {
                _index.DemoteAll();
            }
        }

        ReplaceFileDurably(RecoverySnapshot.FileName, RecoverySnapshot.TempFileName, data);
    }
}
