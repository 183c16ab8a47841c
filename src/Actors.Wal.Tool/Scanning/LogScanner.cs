using System.Text;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal.Tool.Scanning;

/// <summary>
/// Scans every segment of a log directory from its first record, read-only and without the lock: every header
/// and record checksum, record bodies, seals, LSN order, then what the log still needs (the engine's index and
/// liveness rules rebuilt from the records) against what is present.
/// </summary>
/// <remarks>
/// Files are opened with read access only; nothing is created, truncated or deleted. Against a directory a running
/// process writes, the scan reads the prefix present when each file is read; the end of the active segment may look
/// like a torn tail and a segment deleted by compaction during the scan is reported as an I/O error.
/// </remarks>
internal static partial class LogScanner
{
    /// <summary>Scans <paramref name="directory"/>; <paramref name="progress"/> receives (bytes done, bytes total).</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static ScanReport Scan(string directory, Action<long, long>? progress = null)
    {
        string dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"The log directory '{dir}' does not exist.");
        }

        var report = new ScanReport { Directory = dir };
        report.Locked = LockProbe.IsLocked(dir);

        // The snapshot first: on a live directory it then describes a state no newer than the segments listed next.
        LoadSnapshot(report);
        LoadManifest(report);
        report.Claims = DurableClaims.From(report.Snapshot, report.Manifest);
        var (segments, spares) = SelectSegments(report);
        long totalBytes = 0;
        foreach (var (_, path) in segments)
        {
            var info = new FileInfo(path);
            totalBytes += info.Exists ? info.Length : 0;
        }

        long done = 0;
        progress?.Invoke(0, totalBytes);
        var items = new List<RecordItem>();
        for (int i = 0; i < segments.Count; i++)
        {
            var (id, listedPath) = segments[i];
            var (file, path) = OpenEither(listedPath);
            using var opened = file;
            var scan = new SegmentScan { Id = id, FileName = Path.GetFileName(path), FileLength = file.Length, AllocatedBytes = DiskUsage.AllocatedBytes(path) };
            report.Segments.Add(scan);
            ScanSegment(report, scan, file, isLast: i == segments.Count - 1, items);
            done += scan.FileLength;
            progress?.Invoke(done, totalBytes);
        }

        CheckUnusedSpares(report, spares);
        ComputeLiveBytes(report);
        CheckCompleteness(report);
        return report;
    }

    private static void ScanSegment(ScanReport report, SegmentScan scan, IWalFile file, bool isLast, List<RecordItem> items)
    {
        var probe = new SegmentReader(file, Math.Max(RecordHeader.Size, file.Length));
        scan.HeaderStatus = probe.ReadHeader(out var header, out ushort version, out ushort minVersion);
        scan.Header = header;
        scan.Version = version;
        scan.MinCompatibleVersion = minVersion;
        scan.DataEnd = SegmentHeader.Size;
        if (scan.HeaderStatus == SegmentHeaderStatus.UnsupportedVersion)
        {
            report.Findings.Add(new Finding(FindingKind.UnsupportedVersion, scan.FileName, scan.Id, 0,
                $"written by format version {version} (readable from version {minVersion}); this tool reads version {SegmentHeader.CurrentVersion}"));
            return;
        }

        if (HeaderProblem(scan.HeaderStatus, header, scan.Id) is { } problem)
        {
            // Recovery's rule: a header is fsynced before any record, so a damaged header of the last segment with no
            // valid record after it (and no durable claim on it) is a creation that never completed.
            bool tornCreation = isLast && !report.Claims.TryGet(scan.Id, out _, out _)
                && (scan.HeaderStatus is SegmentHeaderStatus.Empty or SegmentHeaderStatus.Truncated || probe.FindNextValidRecord(SegmentHeader.Size - 1) < 0);
            report.Findings.Add(tornCreation
                ? new Finding(FindingKind.TornTail, scan.FileName, scan.Id, 0,
                    $"{problem} and no valid record follows: the process stopped while creating this segment (opening the log removes it)")
                : new Finding(FindingKind.Corruption, scan.FileName, scan.Id, 0,
                    isLast ? $"{problem}, and a valid record follows it or a durable claim covers the segment" : $"{problem}, and this is not the last segment"));
            return;
        }

        if (report.Claims.TryGet(scan.Id, out long claimed, out string claimSource) && file.Length < claimed)
        {
            report.Findings.Add(new Finding(FindingKind.Corruption, scan.FileName, scan.Id, file.Length,
                $"the file is {file.Length} bytes long, but {claimSource} records acknowledged data up to offset {claimed}: acknowledged records are missing"));
        }

        long maxRecordLength = header.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize;
        var reader = new SegmentReader(file, Math.Max(RecordHeader.Size, maxRecordLength));
        long offset = SegmentHeader.Size;
        long lastLsn = 0;
        while (true)
        {
            var status = reader.ReadAt(offset, out var record);
            if (status is ScanStatus.End or ScanStatus.EndOfFile)
            {
                break;
            }

            if (status == ScanStatus.Damaged && header.RecordSalt != 0 && header.IsRecycledFile && report.Snapshot is { Clean: true } clean
                && clean.RecoveryPointSegment == scan.Id && clean.RecoveryPointOffset == offset)
            {
                break; // the end of a cleanly closed log: what follows in a recycled file is an older incarnation's
            }

            if (status == ScanStatus.Damaged)
            {
                scan.DamagedRecords++;
                long next = reader.FindNextValidRecord(offset);
                string reason = record.Damage ?? "damaged record";
                bool acknowledged = report.Claims.Covers(scan.Id, offset, out string claimWhy);
                if (isLast && next < 0 && !acknowledged)
                {
                    long end = reader.FileLength >= header.SegmentSizeBytes ? reader.NonZeroEnd(offset) : reader.FileLength;
                    report.Findings.Add(new Finding(FindingKind.TornTail, scan.FileName, scan.Id, offset,
                        $"torn tail of {Math.Max(0, end - offset)} bytes ({reason}); no valid record follows, so this is an append that never completed (opening the log truncates it)"));
                    break;
                }

                string why = acknowledged ? "; " + claimWhy
                    : next >= 0 ? $"; a valid record follows at offset {next}, so this is not a torn tail"
                    : "; the segment is not the last one, so this is not a torn tail";
                report.Findings.Add(new Finding(FindingKind.Corruption, scan.FileName, scan.Id, offset, reason + why));
                if (next < 0)
                {
                    break;
                }

                offset = next;
                continue;
            }

            var h = record.Header;
            offset += h.Length;
            scan.DataEnd = offset;
            if (h.Type == RecordType.Seal)
            {
                scan.IsSealed = true;
                if (header.RecordSalt == 0 && !reader.IsZeroFrom(offset))
                {
                    // Salted segments may be recycled files: an earlier incarnation's bytes after the seal are expected.
                    report.Findings.Add(new Finding(FindingKind.Corruption, scan.FileName, scan.Id, offset, "non-zero bytes follow the seal record"));
                }

                break;
            }

            items.Clear();
            if (!RecordCodec.TryDecodeItems(h, record.Bytes, items, out string? bodyProblem))
            {
                report.Findings.Add(new Finding(FindingKind.Corruption, scan.FileName, scan.Id, record.Offset, $"the body of a {h.Type} record does not match its header: {bodyProblem}"));
                continue;
            }

            if (h.Type != RecordType.Relocated)
            {
                if (h.FirstLsn <= lastLsn || h.FirstLsn < header.BaseLsn)
                {
                    report.Findings.Add(new Finding(FindingKind.Corruption, scan.FileName, scan.Id, record.Offset,
                        $"LSN {h.FirstLsn} is not above the previous record's LSN {lastLsn} and the segment's base LSN {header.BaseLsn}"));
                }

                lastLsn = Math.Max(lastLsn, h.LastLsn);
            }

            ApplyRecord(report, scan, record, items);
        }

        if (!isLast && !scan.IsSealed)
        {
            report.Findings.Add(new Finding(FindingKind.Corruption, scan.FileName, scan.Id, scan.DataEnd, "the segment ends without a seal record although a later segment exists"));
        }
    }

    private static void ApplyRecord(ScanReport report, SegmentScan scan, in ScannedRecord record, List<RecordItem> items)
    {
        var h = record.Header;
        ReadOnlySpan<byte> idBytes = record.Bytes.Span.Slice(RecordHeader.Size, h.StreamIdLength);
        string id = Encoding.UTF8.GetString(idBytes);
        if (!report.Streams.TryGetValue(id, out var facts))
        {
            facts = new StreamFacts(id, StreamHash.Compute(idBytes));
            report.Streams[id] = facts;
        }

        facts.Apply(scan.Id, record.Offset, h, items);
        scan.Records++;
        scan.RecordBytes += h.Length;
        report.Records++;
        foreach (var item in items)
        {
            scan.AddLsn(item.Lsn);
            report.MaxLsn = Math.Max(report.MaxLsn, item.Lsn);
        }
    }

    private static string? HeaderProblem(SegmentHeaderStatus status, in SegmentHeader header, uint id) => status switch
    {
        SegmentHeaderStatus.Ok when header.SegmentId != id => $"the header names segment {header.SegmentId}",
        SegmentHeaderStatus.Ok or SegmentHeaderStatus.UnsupportedVersion => null,
        SegmentHeaderStatus.Empty or SegmentHeaderStatus.Truncated => "the segment header is missing or cut off",
        SegmentHeaderStatus.BadMagic => "not a segment file (bad magic number)",
        _ => "the segment header checksum does not match",
    };
}
