using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Segments;

namespace Actors.Wal.Recovery;

internal sealed partial class LogRecovery
{
    private RecoveredLog RunLocked(IDisposable? directoryLock, long started)
    {
        string dir = _options.Directory;
        bool readOnly = _options.ReadOnly;
        var ids = new List<uint>();
        foreach (string path in _fileSystem.ListFiles(dir, ".wal"))
        {
            if (SegmentHeader.TryParseFileName(Path.GetFileName(path), out uint id))
            {
                ids.Add(id);
            }
        }

        ids.Sort();
        _maxSegmentId = ids.Count > 0 ? ids[^1] : 0;
        var recycled = SegmentManager.AdoptRecycledFiles(_fileSystem, _options, readOnly);
        var deferredDeletes = new List<string>();
        var manifest = LoadManifest(ids.Count > 0);
        var spareFiles = _fileSystem.ListFiles(dir, SegmentManager.SpareSuffix).ToHashSet(StringComparer.Ordinal);
        var spares = new List<(uint Id, string Path)>();
        Dictionary<uint, ManifestEntry>? live = null;
        if (manifest is not null)
        {
            live = manifest.Segments.Where(e => e.State != ManifestState.Spare).ToDictionary(e => e.Id);
            foreach (var entry in manifest.Segments.Where(e => e.State == ManifestState.Spare))
            {
                // A listed spare is found under its spare name, or under its segment name once the writer took it.
                string named = Path.Combine(dir, SegmentHeader.FileName(entry.Id));
                if (ids.BinarySearch(entry.Id) >= 0)
                {
                    spares.Add((entry.Id, named));
                }
                else if (spareFiles.Remove(named + SegmentManager.SpareSuffix))
                {
                    spares.Add((entry.Id, named + SegmentManager.SpareSuffix));
                }
            }

            foreach (uint id in ids.Where(id => !live.ContainsKey(id) && !spares.Exists(s => s.Id == id)))
            {
                // Not listed: a creation that never completed (the manifest lists a segment or a spare after its header
                // is durable and before any record goes into it) or a deletion cut short (the manifest drops a segment
                // before its file is deleted). Either way it holds no acknowledged data that is needed.
                string path = Path.Combine(dir, SegmentHeader.FileName(id));
                _notes.Add(readOnly
                    ? $"{path}: not listed in {SegmentManifest.FileName} (the process stopped while creating or deleting it); ignored (read-only)."
                    : $"{path}: not listed in {SegmentManifest.FileName} (the process stopped while creating or deleting it); removed.");
                deferredDeletes.Add(path);
            }

            foreach (var entry in live.Values.Where(e => ids.BinarySearch(e.Id) < 0).OrderBy(e => e.Id))
            {
                string path = Path.Combine(dir, SegmentHeader.FileName(entry.Id));
                string reason = $"the segment is listed as live in {SegmentManifest.FileName} but its file is missing";
                if (_options.RecoveryMode != RecoveryMode.Salvage)
                {
                    throw new LogCorruptedException(path, 0, reason);
                }

                _notes.Add($"{path}: {reason}; its records are lost (salvage).");
            }

            _maxSegmentId = Math.Max(_maxSegmentId, manifest.Segments.Count > 0 ? manifest.Segments.Max(e => e.Id) : 0);
            ids.RemoveAll(id => !live.ContainsKey(id));
        }

        foreach (string unlisted in spareFiles)
        {
            // A spare the manifest never listed: its preparation was cut short; it holds nothing.
            _notes.Add($"{unlisted}: a spare segment that was never listed; removed.");
            deferredDeletes.Add(unlisted);
        }

        var snapshot = LoadSnapshot(ids, out var parsedSnapshot);
        var claims = DurableClaims.From(parsedSnapshot, manifest);
        var paths = ids.ToDictionary(id => id, id => Path.Combine(dir, SegmentHeader.FileName(id)));
        foreach (var (id, path) in spares.Where(s => claims.TryGet(s.Id, out _, out _) || s.Id == claims.RecoveryPointSegment).ToList())
        {
            // A spare holding data a snapshot recorded as durable was taken into use (the manifest had not caught up).
            spares.RemoveAll(s => s.Id == id);
            ids.Add(id);
            paths[id] = path;
        }

        ids.Sort();
        AdoptSparesTakenIntoUse(ids, paths, spares);
        var opened = OpenSegments(ids, paths, live, claims, deferredDeletes);
        var openedSpares = OpenSpares(spares, deferredDeletes);
        _segments.Initialize(opened.Select(o => o.Segment), _maxSegmentId, _retained, spare: null, recycled);
        bool claimsViolated = CheckDurableClaims(claims, opened);
        snapshot = CheckSnapshot(snapshot, opened, openedSpares, ref claimsViolated);
        if (snapshot is not null)
        {
            ApplySnapshot(snapshot, opened);
        }

        var scan = ScanRecords(opened, snapshot, claims, manifest);
        claimsViolated |= scan.ClaimsViolated | CheckIndexAgainstSegments();
        foreach (var (segment, _) in opened)
        {
            if (snapshot is not null && segment.Id < snapshot.RecoveryPointSegment && !segment.IsSealed)
            {
                segment.MarkSealed(SealedAt(manifest, segment));
            }
        }

        long truncatedBytes = 0;
        if (scan.TornTail is { } torn)
        {
            var reader = opened[^1].Reader;
            // A preallocated file is zero-filled up to the segment size: report the damaged (non-zero) extent only.
            long end = reader.FileLength >= torn.Segment.Header.SegmentSizeBytes ? reader.NonZeroEnd(torn.Offset) : reader.FileLength;
            truncatedBytes = Math.Max(0, end - torn.Offset);
            _notes.Add(readOnly
                ? $"{torn.Segment.Path} offset {torn.Offset}: torn tail of {truncatedBytes} bytes (not truncated: read-only)."
                : $"{torn.Segment.Path} offset {torn.Offset}: torn tail of {truncatedBytes} bytes truncated.");
            torn.Segment.WrittenOffset = torn.Offset;
            torn.Segment.DurableOffset = torn.Offset;
        }

        Segment? active = null;
        IOException? diskFull = null;
        if (!readOnly)
        {
            (active, diskFull) = Repair(opened, openedSpares, deferredDeletes, scan.TornTail);
        }

        _index.Demote();
        RecomputeLiveBytes();
        long bytes = opened.Sum(o => o.Segment.WrittenOffset);
        var last = opened.Count > 0 ? opened[^1].Segment : null;
        var duration = _time.GetElapsedTime(started);
        var statistics = new RecoveryStatistics
        {
            Segments = opened.Count,
            SegmentsScanned = scan.SegmentsScanned,
            RecordsScanned = scan.RecordsScanned,
            Streams = _index.Count,
            Bytes = bytes,
            TruncatedBytes = truncatedBytes,
            CorruptedRecords = scan.Corrupted,
            Notes = _notes,
            Duration = duration,
            CleanShutdown = snapshot is { Clean: true } && scan.RecordsScanned == 0 && scan.TornTail is null && deferredDeletes.Count == 0,
        };
        return new RecoveredLog
        {
            DirectoryLock = directoryLock,
            Active = active,
            NextLsn = _nextLsn,
            LastTimestamp = _lastTimestamp,
            RecoveredPosition = last is null ? LogPosition.None : LogPosition.Create(last.Id, last.WrittenOffset),
            Statistics = statistics,
            DiskFull = diskFull,
            ClaimsViolated = claimsViolated,
        };
    }

    /// <summary>Pass 1: opens every live segment and checks its header.</summary>
    private List<(Segment Segment, SegmentReader Reader)> OpenSegments(List<uint> ids, Dictionary<uint, string> paths, Dictionary<uint, ManifestEntry>? live, DurableClaims claims, List<string> deferredDeletes)
    {
        string dir = _options.Directory;
        var opened = new List<(Segment Segment, SegmentReader Reader)>();
        for (int i = 0; i < ids.Count; i++)
        {
            string path = paths[ids[i]];
            bool isLast = i == ids.Count - 1;
            var file = _fileSystem.OpenFile(path, _options.ReadOnly ? WalFileMode.OpenReadOnly : WalFileMode.OpenExisting);
            _openedFiles.Add(file);
            var reader = new SegmentReader(file, _maxRecordLength);
            var status = reader.ReadHeader(out var header, out ushort version, out ushort minVersion);
            if (live is not null && live.TryGetValue(ids[i], out var listed) && listed.IsSealed && reader.FileLength < listed.SealedLength)
            {
                string reason = $"the file is {reader.FileLength} bytes, shorter than the sealed length {listed.SealedLength} recorded in {SegmentManifest.FileName}";
                if (_options.RecoveryMode != RecoveryMode.Salvage)
                {
                    file.Dispose();
                    throw new LogCorruptedException(path, reader.FileLength, reason);
                }

                _notes.Add($"{path}: {reason}; the missing records are lost (salvage).");
            }

            string? problem = HeaderProblem(status, header, ids[i]);
            if (status == SegmentHeaderStatus.UnsupportedVersion)
            {
                file.Dispose();
                throw new UnsupportedFormatVersionException(path, version, minVersion, SegmentHeader.CurrentVersion);
            }

            if (problem is not null)
            {
                // A header is written and fsynced before any record: a damaged header of the last segment with no
                // valid record after it is a creation that never completed (a power loss can leave a partly written,
                // partly zero header in a preallocated file). Valid records after it mean media damage instead.
                bool tornCreation = isLast && !claims.TryGet(ids[i], out _, out _)
                    && (status is SegmentHeaderStatus.Empty or SegmentHeaderStatus.Truncated || reader.FindNextValidRecord(SegmentHeader.Size - 1) < 0);
                file.Dispose();
                if (tornCreation && _options.RecoveryMode != RecoveryMode.AbsoluteConsistency)
                {
                    _notes.Add($"{path}: {problem}; the process stopped while creating this segment, so it is removed.");
                    deferredDeletes.Add(path);
                    continue;
                }

                if (_options.RecoveryMode == RecoveryMode.Salvage && !tornCreation)
                {
                    // Kept on disk and listed in the manifest, so a later open reports it again.
                    _notes.Add($"{path}: {problem}; segment skipped (salvage).");
                    _retained.Add(ids[i]);
                    continue;
                }

                throw new LogCorruptedException(path, 0, problem);
            }

            _nextLsn = Math.Max(_nextLsn, header.BaseLsn);
            _lastTimestamp = Math.Max(_lastTimestamp, header.CreatedUtcTicks);
            // An erase's mark survives the restart: the segment is still compacted and deleted, never recycled.
            var segment = new Segment(header, path, file, SegmentHeader.Size, isSealed: false) { HoldsErasedData = live is not null && live.GetValueOrDefault(ids[i]).HoldsErasedData };
            opened.Add((segment, reader));
        }

        return opened;
    }

    /// <summary>
    /// Moves into <paramref name="ids"/> the listed spares the writer took into use before a manifest listed them as live:
    /// the committer acknowledges records in a new segment without waiting for that manifest write (it runs in the
    /// background after the rotation). Such a spare follows the last live segment, that segment ends with its seal
    /// record (synced before anything after it was acknowledged), and a valid record starts right after the spare's
    /// header, or the spare's header is damaged (opening it then tells a torn creation from damage above records);
    /// repeated while the adopted segment is itself sealed (several rotations before the manifest caught up).
    /// </summary>
    /// <remarks>
    /// A spare whose predecessor has no seal is left a spare: whatever it holds was never acknowledged (the seal is
    /// synced first), and its records are discarded. Reading the predecessor to its seal costs a scan of one segment, only
    /// when a spare holds a record at its start (the process stopped between a rotation and the next manifest write).
    /// </remarks>
    private void AdoptSparesTakenIntoUse(List<uint> ids, Dictionary<uint, string> paths, List<(uint Id, string Path)> spares)
    {
        while (ids.Count > 0)
        {
            uint last = ids[^1];
            int next = -1;
            for (int i = 0; i < spares.Count; i++)
            {
                if (spares[i].Id > last && (next < 0 || spares[i].Id < spares[next].Id))
                {
                    next = i;
                }
            }

            if (next < 0 || !(HeaderDamaged(spares[next].Path, spares[next].Id) || StartsWithRecord(spares[next].Path, spares[next].Id)) || !EndsWithSeal(paths[last], last))
            {
                return;
            }

            var (id, path) = spares[next];
            _notes.Add($"{path}: the writer had taken this spare into use (the segment before it is sealed and it holds records); recovered as the next segment.");
            spares.RemoveAt(next);
            ids.Add(id);
            paths[id] = path;
        }
    }

    /// <summary>
    /// True when the header of the spare <paramref name="path"/> is not a valid header of segment <paramref name="id"/>: a
    /// spare's header is fsynced before the manifest lists it, so after a sealed segment this is damage to a segment that
    /// may hold acknowledged records (adopted: opening it reports the damage when valid records follow the header).
    /// </summary>
    private bool HeaderDamaged(string path, uint id)
    {
        using var file = _fileSystem.OpenFile(path, WalFileMode.OpenReadOnly);
        var status = new SegmentReader(file, _maxRecordLength).ReadHeader(out var header, out _, out _);
        return status != SegmentHeaderStatus.UnsupportedVersion && HeaderProblem(status, header, id) is not null;
    }

    /// <summary>True when a valid record lies right after the segment header of <paramref name="path"/>.</summary>
    private bool StartsWithRecord(string path, uint id)
        => ReadSegment(path, id, reader => reader.ReadAt(SegmentHeader.Size, out _) == ScanStatus.Record);

    /// <summary>True when the records of <paramref name="path"/>, read from its header on, end with a seal record.</summary>
    private bool EndsWithSeal(string path, uint id)
        => ReadSegment(path, id, reader =>
        {
            long offset = SegmentHeader.Size;
            while (reader.ReadAt(offset, out var record) == ScanStatus.Record)
            {
                if (record.Header.Type == RecordType.Seal)
                {
                    return true;
                }

                offset += record.Header.Length;
            }

            return false;
        });

    /// <summary>Opens a segment read-only for one check; false when its header is not a valid header of segment <paramref name="id"/>.</summary>
    private bool ReadSegment(string path, uint id, Func<SegmentReader, bool> check)
    {
        using var file = _fileSystem.OpenFile(path, WalFileMode.OpenReadOnly);
        var reader = new SegmentReader(file, _maxRecordLength);
        var status = reader.ReadHeader(out var header, out _, out _);
        return status == SegmentHeaderStatus.Ok && header.SegmentId == id && check(reader);
    }

    /// <summary>
    /// Opens the spares the manifest lists. A spare's header was fsynced before it was listed; a damaged one is only
    /// trusted as far as the scan needs (a spare after a sealed segment is scanned like any segment).
    /// </summary>
    private List<(Segment Segment, SegmentReader Reader)> OpenSpares(List<(uint Id, string Path)> listed, List<string> deferredDeletes)
    {
        var spares = new List<(Segment Segment, SegmentReader Reader)>();
        foreach (var (id, path) in listed.OrderBy(s => s.Id))
        {
            var file = _fileSystem.OpenFile(path, _options.ReadOnly ? WalFileMode.OpenReadOnly : WalFileMode.OpenExisting);
            _openedFiles.Add(file);
            var reader = new SegmentReader(file, _maxRecordLength);
            var status = reader.ReadHeader(out var header, out ushort version, out ushort minVersion);
            if (status == SegmentHeaderStatus.UnsupportedVersion)
            {
                file.Dispose();
                throw new UnsupportedFormatVersionException(path, version, minVersion, SegmentHeader.CurrentVersion);
            }

            if (HeaderProblem(status, header, id) is { } problem)
            {
                file.Dispose();
                if (_options.RecoveryMode == RecoveryMode.AbsoluteConsistency)
                {
                    throw new LogCorruptedException(path, 0, problem + "; AbsoluteConsistency refuses any damage");
                }

                _notes.Add($"{path}: {problem}; the process stopped while creating this segment (a spare: it holds nothing), so it is removed.");
                deferredDeletes.Add(path);
                continue;
            }

            spares.Add((new Segment(header, path, file, SegmentHeader.Size, isSealed: false), reader));
        }

        return spares;
    }

    private static string? HeaderProblem(SegmentHeaderStatus status, in SegmentHeader header, uint id) => status switch
    {
        SegmentHeaderStatus.Ok when header.SegmentId != id => $"the header names segment {header.SegmentId}",
        SegmentHeaderStatus.Ok or SegmentHeaderStatus.UnsupportedVersion => null,
        SegmentHeaderStatus.Empty or SegmentHeaderStatus.Truncated => "the segment header is missing or cut off",
        SegmentHeaderStatus.BadMagic => "not a segment file (bad magic number)",
        _ => "the segment header checksum does not match",
    };

    private static long SealedAt(SegmentManifest? manifest, Segment segment)
        => manifest?.Segments.Find(e => e.Id == segment.Id) is { SealedAtTicks: > 0 } entry ? entry.SealedAtTicks : segment.Header.CreatedUtcTicks;
}
