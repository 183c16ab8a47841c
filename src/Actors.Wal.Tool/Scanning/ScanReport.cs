using Actors.Wal.Recovery;

namespace Actors.Wal.Tool.Scanning;

/// <summary>The result of a full, read-only scan of a log directory.</summary>
internal sealed class ScanReport
{
    /// <summary>The scanned directory (full path).</summary>
    public required string Directory { get; init; }

    /// <summary>Every segment file, in id order.</summary>
    public List<SegmentScan> Segments { get; } = [];

    /// <summary>Every stream seen in a valid record, by id.</summary>
    public Dictionary<string, StreamFacts> Streams { get; } = new(StringComparer.Ordinal);

    /// <summary>Every damaged or missing location, in the order found.</summary>
    public List<Finding> Findings { get; } = [];

    /// <summary>
    /// What the scan did differently from reading every segment file, as opening the log does: files it did not scan
    /// (not listed in the manifest) and listed spares it scanned as segments. Not damage.
    /// </summary>
    public List<string> Notes { get; } = [];

    /// <summary>The parsed recovery snapshot, or null when missing or damaged.</summary>
    public RecoverySnapshot? Snapshot { get; set; }

    /// <summary>The parsed segment manifest, or null when missing or damaged.</summary>
    public SegmentManifest? Manifest { get; set; }

    /// <summary>
    /// The durable positions the snapshot and the manifest record (the engine's rule: damage below them is corruption,
    /// never a torn tail).
    /// </summary>
    public DurableClaims Claims { get; set; } = DurableClaims.From(null, null);

    /// <summary>True when an <c>index.snapshot</c> file exists.</summary>
    public bool SnapshotPresent { get; set; }

    /// <summary>True when the directory's LOCK file is held by a running process.</summary>
    public bool Locked { get; set; }

    /// <summary>The highest item LSN found.</summary>
    public long MaxLsn { get; set; }

    /// <summary>Valid stream records found.</summary>
    public long Records { get; set; }

    /// <summary>Bytes of valid stream records.</summary>
    public long RecordBytes => Segments.Sum(s => s.RecordBytes);

    /// <summary>Bytes of records still needed.</summary>
    public long LiveBytes => Segments.Sum(s => s.LiveBytes);

    /// <summary>Bytes a space pass could reclaim: dead records in sealed segments (the active segment is never compacted).</summary>
    public long ReclaimableBytes => Segments.Where(s => s.IsSealed).Sum(s => s.RecordBytes - s.LiveBytes);

    /// <summary>The lengths of all segment files (preallocated zeros included when the file was extended).</summary>
    public long FileBytes => Segments.Sum(s => s.FileLength);

    /// <summary>The bytes the segment files occupy on disk (allocated blocks, preallocated space included).</summary>
    public long AllocatedBytes => Segments.Sum(s => s.AllocatedBytes);

    /// <summary>
    /// True when no process holds the log and the last one closed it cleanly: the recovery snapshot was written at a
    /// clean shutdown and no record or torn tail lies after its recovery point (the engine's own clean-shutdown rule).
    /// </summary>
    public bool ClosedCleanly => !Locked
        && Snapshot is { Clean: true } snapshot
        && !Findings.Exists(f => f.Kind == FindingKind.TornTail)
        && Segments.TrueForAll(s => s.Id < snapshot.RecoveryPointSegment
            || (s.Id == snapshot.RecoveryPointSegment && s.DataEnd <= snapshot.RecoveryPointOffset)
            || (s.Id > snapshot.RecoveryPointSegment && s.Records == 0));

    /// <summary>Whether the log is <c>live</c>, <c>empty</c>, <c>closed-cleanly</c> or <c>not-closed-cleanly</c>.</summary>
    public string State => Locked ? "live" : Records == 0 && Snapshot is null ? "empty" : ClosedCleanly ? "closed-cleanly" : "not-closed-cleanly";

    /// <summary>One line saying whether the log is live, closed cleanly, left by a crash, or empty.</summary>
    public string Describe() => State switch
    {
        "live" => "live: a running process has the log open (its LOCK is held); what is read is the prefix written so far",
        "empty" => "empty: nothing has been written to this log yet",
        "closed-cleanly" => "closed cleanly: the last process closed the log (opening it scans nothing)",
        _ => "not closed cleanly: the last process stopped without closing the log (crash, kill, power loss); opening it recovers by scanning after the recovery point",
    };

    /// <summary>True when a finding makes the log need attention (torn tails count unless <paramref name="allowTornTail"/>).</summary>
    public bool HasDamage(bool allowTornTail) => Findings.Exists(f => f.Kind != FindingKind.UnsupportedVersion && (!allowTornTail || f.Kind != FindingKind.TornTail));
}
