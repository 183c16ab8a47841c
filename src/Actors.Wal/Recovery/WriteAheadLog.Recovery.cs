using System.Text;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;
using Actors.Wal.Space;

namespace Actors.Wal;

/*
 * Recovery decision tree (open). Each branch names the on-disk state and why it can occur.
 *
 * 1. Directory missing -> create it (first start). ReadOnly: DirectoryNotFoundException (nothing to read).
 * 2. Lock file held -> LogDirectoryLockedException (another process or instance is running). ReadOnly skips the lock.
 * 3. List "*.wal" segments, sorted by id. Load "segments.manifest" (the live segment list): a listed segment that is
 *    missing, or a listed sealed segment shorter than its sealed length -> LogCorruptedException (Salvage: reported
 *    loss); a file not listed (creation or deletion cut short) -> removed and reported; manifest missing or damaged
 *    -> every file is used and a note says continuity could not be verified. See docs/wal-format.md.
 * 4. Load "index.snapshot". Missing (first start, crash before the first rotation), damaged (crash cannot tear it:
 *    it is renamed into place after fsync, so damage means media corruption) or inconsistent with the segment files
 *    (a segment before the recovery point is missing from the snapshot's table or the recovery point segment is gone)
 *    -> ignore it and scan every segment. Never trust it partially.
 *    Durable claims (DurableClaims): a CRC-valid snapshot's recovery point and segment table and the manifest's sealed
 *    lengths say how far each segment was durable (fsynced before the file was written; the clean-shutdown snapshot's
 *    recovery point is the end of the log). A claimed segment that is missing, a file shorter than its claim, or a
 *    snapshot entry pointing into a missing segment is lost acknowledged data -> LogCorruptedException (ReadOnly too);
 *    Salvage notes the loss, keeps the snapshot (so reads of affected streams say what is missing) and writes a fresh
 *    one at the end.
 * 5. Segment headers:
 *    a. Empty, cut-off or torn (bad magic/CRC) header in the LAST segment with no valid record after it -> the process
 *       or the machine died while creating the segment (before its header was fsynced; a power loss can leave part
 *       of the header and zeros): delete the file (TolerateTornTail, Salvage) and report; AbsoluteConsistency refuses.
 *    b. Same in an earlier segment -> corruption: a later segment is only created after this one was complete.
 *    c. Bad magic or checksum in any other case (an earlier segment, or valid records follow) -> corruption (LogCorruptedException; Salvage skips the segment).
 *    d. MinCompatibleVersion above this build's version -> UnsupportedFormatVersionException naming the file.
 * 6. Segments before the recovery point are not scanned (their records are in the snapshot). The recovery point
 *    segment is scanned from the recovery point offset, later segments from their first record.
 * 7. Records, in order:
 *    a. Valid record -> applied to the index exactly as the writer applied it.
 *    b. Seal record -> the segment is complete (the writer seals and fsyncs before creating the next segment).
 *    c. Zero length field followed only by zeros -> normal end (preallocated space is zero).
 *    d. Damage (implausible header, CRC mismatch, record cut off by end of file, or garbage after a zero length)
 *       at offset X:
 *       - below a durable claim of the segment -> corruption of acknowledged data, whatever follows (never a torn
 *         tail). Salvage skips it and notes what the damaged header names.
 *       - in the last segment with no valid record after X -> torn tail: an append (a whole group) that never
 *         completed. TolerateTornTail and Salvage cut the file at X (zeros after X) and report the bytes;
 *         AbsoluteConsistency refuses; ReadOnly reports only.
 *       - valid records follow X, or the segment is sealed/not the last -> corruption of acknowledged data: a torn
 *         write cannot be followed by valid data. LogCorruptedException(file, X) and NOTHING is modified
 *         (truncations and deletions are only carried out after every segment was checked). Salvage skips to the
 *         next valid record and reports.
 *    e. A segment other than the last that ends without a seal record -> corruption (Salvage: reported).
 * 8. Carry out the deferred repairs (unless ReadOnly), fsync the last segment (bytes a crashed process left in the
 *    page cache become durable before anything depends on them), then continue in the last segment if it is not
 *    sealed, otherwise create the next one. A full disk here (preallocating the next segment, rewriting the manifest)
 *    opens the log failed: reads are served, writes throw LogFailedException(IsDiskFull).
 */
public sealed partial class WriteAheadLog
{
    private void Recover()
    {
        long started = _time.GetTimestamp();
        string dir = _options.Directory;
        bool readOnly = _options.ReadOnly;
        if (!_fileSystem.DirectoryExists(dir))
        {
            if (readOnly)
            {
                throw new DirectoryNotFoundException($"The log directory '{dir}' does not exist (opened read-only).");
            }

            _fileSystem.CreateDirectory(dir);
        }

        if (!readOnly)
        {
            string lockPath = Path.Combine(dir, LockFileName);
            try
            {
                _directoryLock = _fileSystem.LockFile(lockPath);
            }
            catch (IOException ex)
            {
                throw new LogDirectoryLockedException(dir, lockPath, ex);
            }
        }

        var notes = new List<string>();
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
        var deferredDeletes = new List<string>();
        var manifest = LoadManifest(ids.Count > 0, notes);
        Dictionary<uint, (uint Id, bool Sealed, long SealedLength)>? live = null;
        if (manifest is not null)
        {
            live = manifest.Segments.ToDictionary(s => s.Id);
            foreach (uint id in ids.Where(id => !live.ContainsKey(id)))
            {
                // Not live: a creation that never completed (the manifest is written after the new segment's header
                // is durable and before any record goes into it) or a deletion cut short (the manifest drops a
                // segment before its file is deleted). Either way it holds no acknowledged data that is needed.
                string path = Path.Combine(dir, SegmentHeader.FileName(id));
                notes.Add(readOnly
                    ? $"{path}: not listed in {SegmentManifest.FileName} (the process stopped while creating or deleting it); ignored (read-only)."
                    : $"{path}: not listed in {SegmentManifest.FileName} (the process stopped while creating or deleting it); removed.");
                deferredDeletes.Add(path);
            }

            foreach (var entry in manifest.Segments.Where(e => ids.BinarySearch(e.Id) < 0))
            {
                string path = Path.Combine(dir, SegmentHeader.FileName(entry.Id));
                string reason = $"the segment is listed as live in {SegmentManifest.FileName} but its file is missing";
                if (_options.RecoveryMode != RecoveryMode.Salvage)
                {
                    throw new LogCorruptedException(path, 0, reason);
                }

                notes.Add($"{path}: {reason}; its records are lost (salvage).");
            }

            _maxSegmentId = Math.Max(_maxSegmentId, manifest.Segments.Count > 0 ? manifest.Segments.Max(e => e.Id) : 0);
            ids.RemoveAll(id => !live.ContainsKey(id));
        }

        var snapshot = LoadSnapshot(ids, notes, out var parsedSnapshot);
        var claims = DurableClaims.From(parsedSnapshot, manifest);

        // Pass 1: headers.
        var opened = new List<(Segment Segment, SegmentReader Reader)>();
        for (int i = 0; i < ids.Count; i++)
        {
            string path = Path.Combine(dir, SegmentHeader.FileName(ids[i]));
            bool isLast = i == ids.Count - 1;
            var file = _fileSystem.OpenFile(path, readOnly ? WalFileMode.OpenReadOnly : WalFileMode.OpenExisting);
            var reader = new SegmentReader(file, _maxRecordLength);
            var status = reader.ReadHeader(out var header, out ushort version, out ushort minVersion);
            if (live is not null && live[ids[i]] is { Sealed: true } listed && reader.FileLength < listed.SealedLength)
            {
                string reason = $"the file is {reader.FileLength} bytes, shorter than the sealed length {listed.SealedLength} recorded in {SegmentManifest.FileName}";
                if (_options.RecoveryMode != RecoveryMode.Salvage)
                {
                    file.Dispose();
                    throw new LogCorruptedException(path, reader.FileLength, reason);
                }

                notes.Add($"{path}: {reason}; the missing records are lost (salvage).");
            }

            string? problem = status switch
            {
                SegmentHeaderStatus.Ok when header.SegmentId != ids[i] => $"the header names segment {header.SegmentId}",
                SegmentHeaderStatus.Ok => null,
                SegmentHeaderStatus.UnsupportedVersion => null,
                SegmentHeaderStatus.Empty or SegmentHeaderStatus.Truncated => "the segment header is missing or cut off",
                SegmentHeaderStatus.BadMagic => "not a segment file (bad magic number)",
                _ => "the segment header checksum does not match",
            };
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
                if (tornCreation && _options.RecoveryMode != RecoveryMode.AbsoluteConsistency)
                {
                    file.Dispose();
                    notes.Add($"{path}: {problem}; the process stopped while creating this segment, so it is removed.");
                    deferredDeletes.Add(path);
                    continue;
                }

                if (_options.RecoveryMode == RecoveryMode.Salvage && !tornCreation)
                {
                    // Kept on disk and listed in the manifest, so a later open reports it again.
                    file.Dispose();
                    notes.Add($"{path}: {problem}; segment skipped (salvage).");
                    _retainedSegments.Add(ids[i]);
                    continue;
                }

                file.Dispose();
                throw new LogCorruptedException(path, 0, problem);
            }

            _nextLsn = Math.Max(_nextLsn, header.BaseLsn);
            _lastTimestamp = Math.Max(_lastTimestamp, header.CreatedUtcTicks);
            var segment = new Segment(header, path, file, SegmentHeader.Size, isSealed: false);
            lock (_stateLock)
            {
                _segments[header.SegmentId] = segment;
            }

            opened.Add((segment, reader));
        }

        bool claimsViolated = CheckDurableClaims(claims, opened, notes);
        if (snapshot is not null && !opened.Exists(o => o.Segment.Id == snapshot.RecoveryPointSegment))
        {
            notes.Add("The recovery snapshot's recovery point segment is missing; scanning every segment.");
            snapshot = null;
        }

        if (snapshot is not null && PositionOutsideOpenedSegments(snapshot) is long lost)
        {
            // The snapshot is written before any deletion, so its index never points into a segment deleted on
            // purpose: the segment holding acknowledged records is gone (or was skipped by Salvage). Never trust
            // the snapshot partially; outside Salvage, refuse.
            string path = Path.Combine(dir, SegmentHeader.FileName(LogPosition.Segment(lost)));
            string reason = $"{RecoverySnapshot.FileName} indexes an acknowledged record at {LogPosition.Format(lost)} in this segment, which is missing";
            if (_options.RecoveryMode != RecoveryMode.Salvage)
            {
                throw new LogCorruptedException(path, LogPosition.Offset(lost), reason);
            }

            // Salvage keeps the snapshot: its other entries are exact, and the streams whose records were in the
            // missing segment stay indexed, so reading them says what was lost instead of returning an empty stream.
            int affected = snapshot.Streams.Count(e => !_segments.ContainsKey(LogPosition.Segment(e.LatestPosition)));
            notes.Add($"{path}: {reason}; {affected} stream(s) had records there: reading them reports the loss (salvage).");
            claimsViolated = true;
        }

        if (snapshot is not null && SnapshotOffsetProblem(snapshot, opened) is string offsetProblem)
        {
            notes.Add($"The recovery snapshot {offsetProblem}; ignored, scanning every segment.");
            snapshot = null;
        }

        if (snapshot is not null)
        {
            ApplySnapshot(snapshot);
        }

        // Pass 2: records.
        long recordsScanned = 0;
        long corrupted = 0;
        long truncatedBytes = 0;
        int scannedSegments = 0;
        (Segment Segment, long Offset)? tornTail = null;
        for (int i = 0; i < opened.Count; i++)
        {
            var (segment, reader) = opened[i];
            bool isLast = i == opened.Count - 1;
            if (snapshot is not null && segment.Id < snapshot.RecoveryPointSegment)
            {
                continue;
            }

            scannedSegments++;
            long offset = snapshot is not null && segment.Id == snapshot.RecoveryPointSegment ? snapshot.RecoveryPointOffset : SegmentHeader.Size;
            var items = new List<RecordItem>();
            while (true)
            {
                var status = reader.ReadAt(offset, out var record);
                if (status == ScanStatus.Record)
                {
                    offset += record.Header.Length;
                    if (record.Header.Type == RecordType.Seal)
                    {
                        _lastTimestamp = Math.Max(_lastTimestamp, record.Header.TimestampTicks);
                        segment.IsSealed = true;
                        break;
                    }

                    RecoverRecord(segment.Id, record, items);
                    recordsScanned++;
                    continue;
                }

                if (status is ScanStatus.End or ScanStatus.EndOfFile)
                {
                    break;
                }

                long next = reader.FindNextValidRecord(offset);
                string reason = record.Damage ?? "damaged record";
                bool acknowledged = claims.Covers(segment.Id, offset, out string claimWhy);
                if (_options.RecoveryMode == RecoveryMode.Salvage)
                {
                    corrupted++;
                    claimsViolated |= acknowledged;
                    notes.Add($"{segment.Path} offset {offset}: {reason}{(acknowledged ? "; " + claimWhy : "")}; skipped (salvage){DescribeSkipped(reader, record, next)}.");
                    if (next >= 0)
                    {
                        offset = next;
                        continue;
                    }

                    if (isLast)
                    {
                        tornTail = (segment, offset);
                    }

                    break;
                }

                if (isLast && next < 0 && !acknowledged && _options.RecoveryMode == RecoveryMode.TolerateTornTail)
                {
                    tornTail = (segment, offset);
                    break;
                }

                string why = acknowledged ? "; " + claimWhy
                    : next >= 0 ? $"; a valid record follows at offset {next}, so this is not a torn tail"
                    : !isLast ? "; the segment is not the last one, so this is not a torn tail"
                    : "; AbsoluteConsistency refuses any damage, including a torn tail";
                throw new LogCorruptedException(segment.Path, offset, reason + why);
            }

            segment.WriteOffset = offset;
            if (!isLast && !segment.IsSealed)
            {
                string reason = "the segment ends without a seal record although a later segment exists";
                if (_options.RecoveryMode != RecoveryMode.Salvage)
                {
                    throw new LogCorruptedException(segment.Path, offset, reason);
                }

                notes.Add($"{segment.Path} offset {offset}: {reason} (salvage).");
            }
        }

        foreach (var (segment, _) in opened)
        {
            if (snapshot is not null && segment.Id < snapshot.RecoveryPointSegment)
            {
                segment.IsSealed = true;
            }
        }

        if (tornTail is { } torn)
        {
            var reader = opened[^1].Reader;
            // A preallocated file is zero-filled up to the segment size: report the damaged (non-zero) extent only.
            long end = reader.FileLength >= torn.Segment.Header.SegmentSizeBytes ? reader.NonZeroEnd(torn.Offset) : reader.FileLength;
            truncatedBytes = Math.Max(0, end - torn.Offset);
            notes.Add(readOnly
                ? $"{torn.Segment.Path} offset {torn.Offset}: torn tail of {truncatedBytes} bytes (not truncated: read-only)."
                : $"{torn.Segment.Path} offset {torn.Offset}: torn tail of {truncatedBytes} bytes truncated.");
            torn.Segment.WriteOffset = torn.Offset;
        }

        // Every check passed: carry out the deferred repairs.
        if (!readOnly)
        {
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

            _fileSystem.DeleteFile(Path.Combine(dir, RecoverySnapshot.TempFileName));
            if (deferredDeletes.Count > 0)
            {
                _fileSystem.SyncDirectory(dir);
            }

            var last = opened.Count > 0 ? opened[^1].Segment : null;
            if (last is not null && !last.IsSealed)
            {
                last.File.Flush();
            }

            try
            {
                if (last is not null && !last.IsSealed)
                {
                    _active = last;
                }
                else
                {
                    // New ids exceed every id seen on disk or in the manifest (Salvage may keep a damaged later segment).
                    CreateSegment(_maxSegmentId + 1, _nextLsn);
                }

                _fileSystem.DeleteFile(Path.Combine(dir, SegmentManifest.TempFileName));
                WriteManifest();
                if (claimsViolated)
                {
                    // Salvage gave up records below a durable claim: replace the claims so the next open does not
                    // refuse the repaired log (the notes above say what was lost).
                    WriteSnapshot(clean: false);
                }
            }
            catch (IOException ex) when (LogFailedException.IsDiskFullError(ex))
            {
                // A full disk must not keep a restarted process from serving what is stored: open failed (read-only,
                // IsFailed, LogFailedException.IsDiskFull for every write) and let reads work.
                EnterFailed("open", ex);
                notes.Add($"The disk is full ({ex.Message}); the log is open read-only until space is freed and it is reopened.");
            }
        }

        lock (_stateLock)
        {
            _index.DemoteAll();
            RecomputeLiveBytes();
        }

        _writtenLsn = _nextLsn - 1;
        _durableLsn = _nextLsn - 1;
        long bytes = opened.Sum(o => o.Segment.WriteOffset);
        var duration = _time.GetElapsedTime(started);
        _recovery = new RecoveryStatistics
        {
            Segments = opened.Count,
            SegmentsScanned = scannedSegments,
            RecordsScanned = recordsScanned,
            Streams = _index.Count,
            Bytes = bytes,
            TruncatedBytes = truncatedBytes,
            CorruptedRecords = corrupted,
            Notes = notes,
            Duration = duration,
            CleanShutdown = snapshot is { Clean: true } && recordsScanned == 0 && tornTail is null && deferredDeletes.Count == 0,
        };
        _instruments.RecordRecovery(duration);
        foreach (string note in notes)
        {
            LogRecoveryNote(note);
        }

        LogOpened(dir, opened.Count, scannedSegments, recordsScanned, _index.Count, truncatedBytes, duration.TotalMilliseconds);
    }
}
