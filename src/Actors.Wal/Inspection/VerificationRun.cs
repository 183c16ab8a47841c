using System.Text;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal.Inspection;

/// <summary>
/// One read-only pass over a log directory for <see cref="LogInspector"/>: chooses the segments as opening the log does,
/// reads each with recovery's <see cref="SegmentWalker"/> (every header and record checksum, torn tail or corruption by
/// the durable claims), checks record bodies, seals and LSN order, then what the log still needs (the engine's index and
/// liveness rules rebuilt from the records) against what is present.
/// </summary>
/// <remarks>
/// Files are opened with read access only; nothing is created, truncated or deleted, and no lock is taken. Against a
/// directory a running process writes, the pass reads the prefix present when each file is read. A run is used once, on
/// one thread, and owns everything it collects.
/// </remarks>
internal sealed partial class VerificationRun
{
    /// <summary>Recovery's rule for listed spares, over files opened under either name (the writer may be renaming one).</summary>
    private static readonly SpareAdoption SpareRule = new(path => OpenEither(path).File, maxRecordLength: null);

    private readonly string _directory;
    private readonly List<SegmentFacts> _segments = [];
    private readonly Dictionary<string, StreamFacts> _streams = new(StringComparer.Ordinal);
    private readonly List<LogFinding> _findings = [];
    private readonly List<string> _notes = [];
    private readonly List<RecordItem> _items = [];
    private RecoverySnapshot? _snapshot;
    private SegmentManifest? _manifest;
    private DurableClaims _claims = DurableClaims.From(null, null);
    private bool _snapshotPresent;
    private bool _locked;
    private long _maxLsn;
    private long _records;

    /// <summary>Prepares a pass over <paramref name="directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public VerificationRun(string directory)
    {
        _directory = Path.GetFullPath(directory);
        if (!Directory.Exists(_directory))
        {
            throw new DirectoryNotFoundException($"The log directory '{_directory}' does not exist.");
        }
    }

    /// <summary>Verifies the directory; <paramref name="progress"/> receives (bytes done, bytes total).</summary>
    public LogVerification Verify(Action<long, long>? progress)
    {
        _locked = LockProbe.IsLocked(_directory);
        var (segments, spares) = Prepare();
        long totalBytes = 0;
        foreach (var (_, path) in segments)
        {
            var info = new FileInfo(path);
            totalBytes += info.Exists ? info.Length : 0;
        }

        long done = 0;
        progress?.Invoke(0, totalBytes);
        for (int i = 0; i < segments.Count; i++)
        {
            var (id, listedPath) = segments[i];
            var (file, path) = OpenEither(listedPath);
            using var opened = file;
            var scan = new SegmentFacts { Id = id, FileName = Path.GetFileName(path), FileLength = file.Length, AllocatedBytes = DiskUsage.AllocatedBytes(path) };
            _segments.Add(scan);
            VerifySegment(scan, file, isLast: i == segments.Count - 1);
            done += scan.FileLength;
            progress?.Invoke(done, totalBytes);
        }

        CheckUnusedSpares(spares);
        ComputeLiveBytes();
        CheckCompleteness();
        var recoveryPoint = _snapshot is { } s ? new InspectedRecoveryPoint(s.RecoveryPointSegment, s.RecoveryPointOffset, s.Clean, s.NextLsn, s.Streams.Count) : null;
        return new LogVerification(
            _directory,
            _locked,
            _snapshotPresent,
            recoveryPoint,
            [.. _segments.Select(f => f.ToInspected())],
            _streams.ToDictionary(p => p.Key, p => p.Value.ToInspected(), StringComparer.Ordinal),
            [.. _findings],
            [.. _notes],
            _records,
            _maxLsn);
    }

    /// <summary>The valid stream records of the log's segments, in log order (damaged locations are skipped).</summary>
    public IEnumerable<InspectedRecord> ReadRecords()
    {
        var (segments, _) = Prepare();
        for (int i = 0; i < segments.Count; i++)
        {
            var (id, listedPath) = segments[i];
            using var file = OpenEither(listedPath).File;
            var probe = new SegmentReader(file, Math.Max(RecordHeader.Size, file.Length));
            var status = probe.ReadHeader(out var header, out _, out _);
            if (status != SegmentHeaderStatus.Ok || SegmentWalker.HeaderProblem(status, header, id) is not null)
            {
                continue;
            }

            var reader = new SegmentReader(file, Math.Max(RecordHeader.Size, header.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize));
            var walker = new SegmentWalker(reader, id, header, SegmentHeader.Size, i == segments.Count - 1, _claims, _snapshot);
            while (true)
            {
                var step = walker.Next(out var record, out var damage);
                if (step == SegmentWalker.Step.Record && ToInspected(id, record) is { } inspected)
                {
                    yield return inspected;
                }
                else if (step is SegmentWalker.Step.Seal or SegmentWalker.Step.End || (step == SegmentWalker.Step.Damage && !walker.ResumeAfter(damage)))
                {
                    break;
                }
            }
        }
    }

    /// <summary>Reads the snapshot and the manifest, then chooses the segments to read as opening the log does.</summary>
    private (List<(uint Id, string Path)> Live, List<(uint Id, string Path)> Spares) Prepare()
    {
        // The snapshot first: on a live directory it then describes a state no newer than the segments listed next.
        LoadSnapshot();
        LoadManifest();
        _claims = DurableClaims.From(_snapshot, _manifest);
        return SelectSegments();
    }

    private void VerifySegment(SegmentFacts scan, IWalFile file, bool isLast)
    {
        var probe = new SegmentReader(file, Math.Max(RecordHeader.Size, file.Length));
        scan.HeaderStatus = probe.ReadHeader(out var header, out ushort version, out ushort minVersion);
        scan.Header = header;
        scan.Version = version;
        scan.MinCompatibleVersion = minVersion;
        scan.DataEnd = SegmentHeader.Size;
        if (scan.HeaderStatus == SegmentHeaderStatus.UnsupportedVersion)
        {
            _findings.Add(new LogFinding(LogFindingKind.UnsupportedVersion, scan.FileName, scan.Id, 0,
                $"written by format version {version} (readable from version {minVersion}); this build reads version {SegmentHeader.CurrentVersion}"));
            return;
        }

        if (SegmentWalker.HeaderProblem(scan.HeaderStatus, header, scan.Id) is { } problem)
        {
            _findings.Add(SegmentWalker.IsTornCreation(scan.HeaderStatus, probe, scan.Id, isLast, _claims)
                ? new LogFinding(LogFindingKind.TornTail, scan.FileName, scan.Id, 0,
                    $"{problem} and no valid record follows: the process stopped while creating this segment (opening the log removes it)")
                : new LogFinding(LogFindingKind.Corruption, scan.FileName, scan.Id, 0,
                    isLast ? $"{problem}, and a valid record follows it or a durable claim covers the segment" : $"{problem}, and this is not the last segment"));
            return;
        }

        if (_claims.TryGet(scan.Id, out long claimed, out string claimSource) && file.Length < claimed)
        {
            _findings.Add(new LogFinding(LogFindingKind.Corruption, scan.FileName, scan.Id, file.Length,
                $"the file is {file.Length} bytes long, but {claimSource} records acknowledged data up to offset {claimed}: acknowledged records are missing"));
        }

        long maxRecordLength = header.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize;
        var reader = new SegmentReader(file, Math.Max(RecordHeader.Size, maxRecordLength));
        var walker = new SegmentWalker(reader, scan.Id, header, SegmentHeader.Size, isLast, _claims, _snapshot);
        long lastLsn = 0;
        bool walking = true;
        while (walking)
        {
            switch (walker.Next(out var record, out var damage))
            {
                case SegmentWalker.Step.Record:
                    scan.DataEnd = walker.Offset;
                    VerifyRecord(scan, header, record, ref lastLsn);
                    break;
                case SegmentWalker.Step.Seal:
                    scan.DataEnd = walker.Offset;
                    scan.IsSealed = true;
                    if (header.RecordSalt == 0 && !reader.IsZeroFrom(walker.Offset))
                    {
                        // Salted segments may be recycled files: an earlier incarnation's bytes after the seal are expected.
                        _findings.Add(new LogFinding(LogFindingKind.Corruption, scan.FileName, scan.Id, walker.Offset, "non-zero bytes follow the seal record"));
                    }

                    walking = false;
                    break;
                case SegmentWalker.Step.End:
                    walking = false;
                    break;
                default:
                    scan.DamagedRecords++;
                    if (damage.NotTornTailBecause is not { } why)
                    {
                        _findings.Add(new LogFinding(LogFindingKind.TornTail, scan.FileName, scan.Id, damage.Offset,
                            $"torn tail of {SegmentWalker.TornBytes(reader, header, damage.Offset)} bytes ({damage.Reason}); no valid record follows, so this is an append that never completed (opening the log truncates it)"));
                        walking = false;
                        break;
                    }

                    _findings.Add(new LogFinding(LogFindingKind.Corruption, scan.FileName, scan.Id, damage.Offset, damage.Reason + why));
                    walking = walker.ResumeAfter(damage);
                    break;
            }
        }

        if (!isLast && !scan.IsSealed)
        {
            _findings.Add(new LogFinding(LogFindingKind.Corruption, scan.FileName, scan.Id, scan.DataEnd, "the segment ends without a seal record although a later segment exists"));
        }
    }

    /// <summary>Checks a valid record's body and LSN order, then applies it to the stream and segment facts.</summary>
    private void VerifyRecord(SegmentFacts scan, in SegmentHeader segmentHeader, in ScannedRecord record, ref long lastLsn)
    {
        var h = record.Header;
        _items.Clear();
        if (!RecordCodec.TryDecodeItems(h, record.Bytes, _items, out string? bodyProblem))
        {
            _findings.Add(new LogFinding(LogFindingKind.Corruption, scan.FileName, scan.Id, record.Offset, $"the body of a {h.Type} record does not match its header: {bodyProblem}"));
            return;
        }

        if (h.Type != RecordType.Relocated)
        {
            if (h.FirstLsn <= lastLsn || h.FirstLsn < segmentHeader.BaseLsn)
            {
                _findings.Add(new LogFinding(LogFindingKind.Corruption, scan.FileName, scan.Id, record.Offset,
                    $"LSN {h.FirstLsn} is not above the previous record's LSN {lastLsn} and the segment's base LSN {segmentHeader.BaseLsn}"));
            }

            lastLsn = Math.Max(lastLsn, h.LastLsn);
        }

        ReadOnlySpan<byte> idBytes = record.Bytes.Span.Slice(RecordHeader.Size, h.StreamIdLength);
        string id = Encoding.UTF8.GetString(idBytes);
        if (!_streams.TryGetValue(id, out var facts))
        {
            facts = new StreamFacts(id, StreamHash.Compute(idBytes));
            _streams[id] = facts;
        }

        facts.Apply(scan.Id, record.Offset, h, _items);
        scan.Records++;
        scan.RecordBytes += h.Length;
        _records++;
        foreach (var item in _items)
        {
            scan.AddLsn(item.Lsn);
            _maxLsn = Math.Max(_maxLsn, item.Lsn);
        }
    }

    /// <summary>The public view of a valid record (its bytes copied), or null when its body does not match its header.</summary>
    private InspectedRecord? ToInspected(uint segmentId, in ScannedRecord record)
    {
        var h = record.Header;
        ReadOnlyMemory<byte> bytes = record.Bytes.ToArray();
        _items.Clear();
        if (!RecordCodec.TryDecodeItems(h, bytes, _items, out _))
        {
            return null;
        }

        // InspectedRecordType carries the record type byte's values (docs/wal-format.md); a seal never reaches here.
        var items = _items.Select(i => new InspectedItem((InspectedRecordType)i.Kind, i.Version, i.Lsn, new DateTimeOffset(i.TimestampTicks, TimeSpan.Zero), i.Payload)).ToList();
        return new InspectedRecord(
            segmentId,
            record.Offset,
            h.Length,
            (InspectedRecordType)h.Type,
            Encoding.UTF8.GetString(bytes.Span.Slice(RecordHeader.Size, h.StreamIdLength)),
            h.FirstLsn,
            h.LastLsn,
            h.FirstVersion,
            h.LastVersion,
            new DateTimeOffset(h.TimestampTicks, TimeSpan.Zero),
            (h.Flags & RecordHeader.EncryptedPayloadsFlag) != 0,
            items);
    }
}
