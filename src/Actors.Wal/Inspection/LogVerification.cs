namespace Actors.Wal.Inspection;

/// <summary>
/// The result of <see cref="LogInspector.Verify"/>: every segment of the log with its header facts, every stream as the
/// engine's index rules rebuild it, and every damaged or missing location, classified as recovery classifies it.
/// </summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class LogVerification
{
    internal LogVerification(
        string directory,
        bool isLocked,
        bool snapshotPresent,
        InspectedRecoveryPoint? recoveryPoint,
        IReadOnlyList<InspectedSegment> segments,
        IReadOnlyDictionary<string, InspectedStream> streams,
        IReadOnlyList<LogFinding> findings,
        IReadOnlyList<string> notes,
        long records,
        long maxLsn)
    {
        Directory = directory;
        IsLocked = isLocked;
        SnapshotPresent = snapshotPresent;
        RecoveryPoint = recoveryPoint;
        Segments = segments;
        Streams = streams;
        Findings = findings;
        Notes = notes;
        Records = records;
        MaxLsn = maxLsn;
    }

    /// <summary>The verified directory (full path).</summary>
    public string Directory { get; }

    /// <summary>True when a running process held the directory's <c>LOCK</c> file while it was read.</summary>
    public bool IsLocked { get; }

    /// <summary>True when an <c>index.snapshot</c> file exists (even a damaged one).</summary>
    public bool SnapshotPresent { get; }

    /// <summary>The recovery point of the recovery snapshot, or null when it is missing or damaged.</summary>
    public InspectedRecoveryPoint? RecoveryPoint { get; }

    /// <summary>The segments that form the log (chosen by the rules opening the log follows), in id order.</summary>
    public IReadOnlyList<InspectedSegment> Segments { get; }

    /// <summary>Every stream seen in a valid record, by id (ordinal).</summary>
    public IReadOnlyDictionary<string, InspectedStream> Streams { get; }

    /// <summary>Every damaged or missing location, in the order found. Empty for a clean log.</summary>
    public IReadOnlyList<LogFinding> Findings { get; }

    /// <summary>
    /// What the verification did differently from reading every segment file, as opening the log does (files not listed in
    /// the manifest are not read; listed spares the writer had taken into use are read as segments). Not damage.
    /// </summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Valid stream records found.</summary>
    public long Records { get; }

    /// <summary>The highest item LSN found (0 when none).</summary>
    public long MaxLsn { get; }

    /// <summary>Bytes of valid stream records.</summary>
    public long RecordBytes => Segments.Sum(s => s.RecordBytes);

    /// <summary>Bytes of records the log still needs.</summary>
    public long LiveBytes => Segments.Sum(s => s.LiveBytes);

    /// <summary>Bytes a space pass could reclaim: dead records in sealed segments (the active segment is never compacted).</summary>
    public long ReclaimableBytes => Segments.Where(s => s.IsSealed).Sum(s => s.RecordBytes - s.LiveBytes);

    /// <summary>The lengths of the segment files (preallocated zeros included).</summary>
    public long FileBytes => Segments.Sum(s => s.FileLength);

    /// <summary>The bytes the segment files occupy on disk (allocated blocks, preallocated space included).</summary>
    public long AllocatedBytes => Segments.Sum(s => s.AllocatedBytes);

    /// <summary>
    /// True when no process holds the log and the last one closed it cleanly: the recovery snapshot was written at a clean
    /// shutdown and no record or torn tail lies after its recovery point (the engine's own clean-shutdown rule).
    /// </summary>
    public bool ClosedCleanly => !IsLocked
        && RecoveryPoint is { CleanShutdown: true } point
        && !Findings.Any(f => f.Kind == LogFindingKind.TornTail)
        && Segments.All(s => s.Id < point.Segment
            || (s.Id == point.Segment && s.DataEnd <= point.Offset)
            || (s.Id > point.Segment && s.Records == 0));

    /// <summary>Whether the log is live, empty, closed cleanly or left without a clean close.</summary>
    public LogDirectoryState State => IsLocked ? LogDirectoryState.Live
        : Records == 0 && RecoveryPoint is null ? LogDirectoryState.Empty
        : ClosedCleanly ? LogDirectoryState.ClosedCleanly
        : LogDirectoryState.NotClosedCleanly;

    /// <summary>
    /// True when a finding needs attention: any finding but <see cref="LogFindingKind.UnsupportedVersion"/>, torn tails
    /// excepted when <paramref name="allowTornTail"/> (opening the log cuts them).
    /// </summary>
    public bool HasDamage(bool allowTornTail)
        => Findings.Any(f => f.Kind != LogFindingKind.UnsupportedVersion && (!allowTornTail || f.Kind != LogFindingKind.TornTail));
}
