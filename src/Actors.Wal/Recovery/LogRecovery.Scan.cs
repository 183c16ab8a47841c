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
        var recycled = RecycledSegmentFiles.FindLeftOver(_fileSystem, _options, readOnly);
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
                if (SpareAdoption.Locate(dir, entry.Id, ids.BinarySearch(entry.Id) >= 0, spareFiles.Remove) is { } path)
                {
                    spares.Add((entry.Id, path));
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

        var snapshot = LoadSnapshot(ids, out var parsedSnapshot, out bool recoveryPointClaimed);
        var claims = DurableClaims.From(parsedSnapshot, manifest, recoveryPointClaimed);
        var paths = new SortedDictionary<uint, string>(ids.ToDictionary(id => id, id => Path.Combine(dir, SegmentHeader.FileName(id))));
        // Listed spares the writer took into use before a manifest listed them as live (the rule validate also follows).
        foreach (var (_, path, reason) in new SpareAdoption(p => _fileSystem.OpenFile(p, WalFileMode.OpenReadOnly), _maxRecordLength).Adopt(paths, spares, claims))
        {
            if (reason == SpareAdoption.Reason.FollowsSeal)
            {
                _notes.Add($"{path}: the writer had taken this spare into use (the segment before it is sealed and it holds records); recovered as the next segment.");
            }
        }

        var opened = OpenSegments([.. paths.Keys], paths, live, claims, deferredDeletes);
        var openedSpares = OpenSpares(spares, deferredDeletes);
        _segments.Initialize(opened.Select(o => o.Segment), _maxSegmentId, _retained, recycled);
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
            truncatedBytes = SegmentWalker.TornBytes(reader, torn.Segment.Header, torn.Offset);
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
    private List<(Segment Segment, SegmentReader Reader)> OpenSegments(List<uint> ids, IReadOnlyDictionary<uint, string> paths, Dictionary<uint, ManifestEntry>? live, DurableClaims claims, List<string> deferredDeletes)
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

            string? problem = SegmentWalker.HeaderProblem(status, header, ids[i]);
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
                bool tornCreation = SegmentWalker.IsTornCreation(status, reader, ids[i], isLast, claims);
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

            if (SegmentWalker.HeaderProblem(status, header, id) is { } problem)
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

    private static long SealedAt(SegmentManifest? manifest, Segment segment)
        => manifest?.Segments.Find(e => e.Id == segment.Id) is { SealedAtTicks: > 0 } entry ? entry.SealedAtTicks : segment.Header.CreatedUtcTicks;
}
