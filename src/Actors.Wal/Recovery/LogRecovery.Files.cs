using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Segments;

namespace Actors.Wal.Recovery;

internal sealed partial class LogRecovery
{
    /// <summary>
    /// Reads segments.manifest. Null when it is missing or damaged (a note says continuity could not be verified
    /// when segment files exist). Throws <see cref="UnsupportedFormatVersionException"/> for a newer format.
    /// </summary>
    private SegmentManifest? LoadManifest(bool segmentsExist)
    {
        string path = SegmentManifest.Envelope.PathIn(_options.Directory);
        if (!SegmentManifest.Envelope.TryLoad(_fileSystem, _options.Directory, SegmentManifest.TryParse, out var manifest, out string? damage))
        {
            if (segmentsExist)
            {
                _notes.Add($"{path}: missing (a log written before the manifest existed, or the file was lost); segment continuity could not be verified: a missing segment would go unnoticed.");
            }

            return null;
        }

        if (manifest is null)
        {
            _notes.Add($"{path}: {damage}; ignored: segment continuity could not be verified: a missing segment would go unnoticed.");
        }

        return manifest;
    }

    /// <summary>
    /// Reads index.snapshot and the index.delta that extends it (<see cref="RecoverySnapshotFiles"/>). Returns the snapshot
    /// when it can serve as the index; <paramref name="parsed"/> is the snapshot whose durable positions are claims even
    /// when it cannot serve as the index (<paramref name="recoveryPointClaimed"/>: see <see cref="LoadedSnapshot"/>).
    /// </summary>
    private RecoverySnapshot? LoadSnapshot(List<uint> segmentIds, out RecoverySnapshot? parsed, out bool recoveryPointClaimed)
    {
        var loaded = RecoverySnapshotFiles.Load(_fileSystem, _options.Directory);
        parsed = loaded.Claims;
        recoveryPointClaimed = loaded.RecoveryPointClaimed;
        if (loaded.Note is { } note)
        {
            _notes.Add(note);
        }

        if (loaded.Index is not { } snapshot)
        {
            return null;
        }

        var known = snapshot.Segments.Select(s => s.Id).ToHashSet();
        if (segmentIds.Exists(id => id < snapshot.RecoveryPointSegment && !known.Contains(id)))
        {
            _notes.Add($"{RecoverySnapshot.Envelope.PathIn(_options.Directory)}: does not describe every segment before its recovery point; ignored, scanning every segment.");
            return null;
        }

        return snapshot;
    }

    /// <summary>
    /// Refuses (or, under Salvage, reports) segment files that contradict a durable claim: the segment holding the
    /// snapshot's recovery point is missing, or a file ends before the offset a claim says was durable.
    /// </summary>
    private bool CheckDurableClaims(DurableClaims claims, List<(Segment Segment, SegmentReader Reader)> opened)
    {
        bool violated = false;
        if (claims.RecoveryPointSegment is uint rp && claims.TryGet(rp, out long rpEnd, out string rpSource)
            && !opened.Exists(o => o.Segment.Id == rp) && !_retained.Contains(rp))
        {
            violated = true;
            string path = Path.Combine(_options.Directory, SegmentHeader.FileName(rp));
            string reason = $"the segment is missing although {rpSource} records acknowledged data in it up to offset {rpEnd}";
            if (_options.RecoveryMode != RecoveryMode.Salvage)
            {
                throw new LogCorruptedException(path, 0, reason);
            }

            _notes.Add($"{path}: {reason}; its acknowledged records are lost (salvage).");
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

                _notes.Add($"{segment.Path} offset {reader.FileLength}: {reason}; the acknowledged records after offset {reader.FileLength} are lost (salvage).");
            }
        }

        return violated;
    }

    /// <summary>The snapshot when it can serve as the index, after checking it against the opened segments.</summary>
    private RecoverySnapshot? CheckSnapshot(RecoverySnapshot? snapshot, List<(Segment Segment, SegmentReader Reader)> opened, List<(Segment Segment, SegmentReader Reader)> spares, ref bool claimsViolated)
    {
        if (snapshot is null)
        {
            return null;
        }

        if (!opened.Exists(o => o.Segment.Id == snapshot.RecoveryPointSegment))
        {
            _notes.Add("The recovery snapshot's recovery point segment is missing; scanning every segment.");
            return null;
        }

        // A spare counts as present: entries newer than the recovery point may point into the spare the writer had
        // switched to (the scan takes it into use); the index is checked against the final segment set after the scan.
        var present = opened.Concat(spares).Select(o => o.Segment.Id).ToHashSet();
        var lost = snapshot.Streams.Where(e => !present.Contains(LogPosition.Segment(e.LatestPosition))).ToList();
        if (lost.Count > 0)
        {
            // The snapshot is written before any deletion, so its index never points into a segment deleted on
            // purpose: the segment holding acknowledged records is gone (or was skipped by Salvage). Outside Salvage,
            // refuse. Salvage keeps the snapshot: its other entries are exact, and the streams whose records were in the
            // missing segment stay indexed, so reading them says what was lost instead of returning an empty stream.
            long position = lost[0].LatestPosition;
            string path = Path.Combine(_options.Directory, SegmentHeader.FileName(LogPosition.Segment(position)));
            string reason = $"{RecoverySnapshot.FileName} indexes an acknowledged record at {LogPosition.Format(position)} in this segment, which is missing";
            if (_options.RecoveryMode != RecoveryMode.Salvage)
            {
                throw new LogCorruptedException(path, LogPosition.Offset(position), reason);
            }

            _notes.Add($"{path}: {reason}; {lost.Count} stream(s) had records there: reading them reports the loss (salvage).");
            claimsViolated = true;
        }

        if (SnapshotOffsetProblem(snapshot, opened) is string offsetProblem)
        {
            _notes.Add($"The recovery snapshot {offsetProblem}; ignored, scanning every segment.");
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

    /// <summary>Loads the snapshot's entries as the idle tier and its segment table's offsets.</summary>
    private void ApplySnapshot(RecoverySnapshot snapshot, List<(Segment Segment, SegmentReader Reader)> opened)
    {
        _index.LoadIdle(snapshot.Streams);
        foreach (var (id, isSealed, writeOffset) in snapshot.Segments)
        {
            var segment = opened.Find(o => o.Segment.Id == id).Segment;
            if (segment is not null)
            {
                segment.WrittenOffset = writeOffset;
                segment.DurableOffset = writeOffset;
            }
        }

        _nextLsn = Math.Max(_nextLsn, snapshot.NextLsn);
        _lastTimestamp = Math.Max(_lastTimestamp, snapshot.LastTimestamp);
    }

    /// <summary>
    /// Carries out the deferred repairs (every segment was checked), makes the last segment's bytes durable, and finds
    /// the segment the writer continues in: the last one if not sealed, else the spare or a new one. A full disk here
    /// leaves the log open but failed (reads are served).
    /// </summary>
    private (Segment? Active, IOException? DiskFull) Repair(
        List<(Segment Segment, SegmentReader Reader)> opened,
        List<(Segment Segment, SegmentReader Reader)> spares,
        List<string> deferredDeletes,
        (Segment Segment, long Offset)? tornTail)
    {
        string dir = _options.Directory;
        foreach (string path in deferredDeletes)
        {
            _fileSystem.DeleteFile(path);
        }

        if (tornTail is { } cut)
        {
            long length = cut.Segment.File.Length;
            cut.Segment.File.SetLength(cut.Offset);
            if (_options.PreallocateSegments && length > cut.Offset)
            {
                cut.Segment.File.SetLength(length);
            }

            cut.Segment.File.Flush();
        }

        _fileSystem.DeleteFile(Path.Combine(dir, RecoverySnapshot.Envelope.TempFileName));
        _fileSystem.DeleteFile(Path.Combine(dir, RecoverySnapshotDelta.Envelope.TempFileName));
        if (deferredDeletes.Count > 0)
        {
            _fileSystem.SyncDirectory(dir);
        }

        foreach (var (segment, _) in opened)
        {
            _segments.FinishRecoveredSpare(segment);
        }

        var last = opened.Count > 0 ? opened[^1].Segment : null;
        if (last is not null && !last.IsSealed)
        {
            last.File.Flush();
        }

        // A spare left here holds no acknowledged data (one the writer took into use after a durable seal was adopted as
        // live before the scan: SpareAdoption.Adopt): it may hold records of a switch the crash cut short before the
        // seal was durable. The first one is kept (checked and, if need be, zeroed in the background before it is used);
        // others are removed.
        for (int i = 0; i < spares.Count; i++)
        {
            var (unused, reader) = spares[i];
            bool written = reader.ReadAt(SegmentHeader.Size, out _) == ScanStatus.Record;
            if (written)
            {
                _notes.Add($"{unused.Path}: the writer had started writing into this spare segment, but nothing written there was acknowledged (the segment before it has no seal); its records are discarded.");
            }

            // Kept only when the writer continues in the last segment (a spare checked in the background cannot serve
            // as the active segment now) and it was made for the configured segment size.
            if (i == 0 && last is { IsSealed: false } && unused.Id > last.Id
                && unused.Header.SegmentSizeBytes == _options.SegmentSizeBytes)
            {
                // Kept as the spare: the manager checks (and zeroes) it in the background before the writer takes it.
                _segments.AdoptSpare(unused);
                continue;
            }

            unused.Retire();
            _fileSystem.DeleteFile(unused.Path);
        }

        try
        {
            Segment active = last is not null && !last.IsSealed ? last : _segments.TakeNextSegment();
            _fileSystem.DeleteFile(Path.Combine(dir, SegmentManifest.Envelope.TempFileName));
            _segments.WriteManifest();
            return (active, null);
        }
        catch (IOException ex) when (LogFailedException.IsDiskFullError(ex))
        {
            _notes.Add($"The disk is full ({ex.Message}); the log is open read-only until space is freed and it is reopened.");
            return (null, ex);
        }
    }
}
