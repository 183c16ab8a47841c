using Actors.Wal.Format;
using Actors.Wal.Segments;

namespace Actors.Wal.Recovery;

/// <summary>
/// Reads one segment the way both recovery and <see cref="Inspection.LogInspector"/> do: the header rule (damaged, torn
/// creation) and a walk over its records that stops at the seal or the end and classifies every damaged location as a
/// torn tail or as corruption of acknowledged data. What each caller then does about it differs (recovery repairs,
/// refuses or salvages by mode; the inspector reports), the reading does not.
/// </summary>
/// <remarks>
/// Read-only: it never modifies the file. One walker reads one segment once, from one thread. The torn-tail rule is
/// recovery's decision tree, branch 7d (<see cref="LogRecovery"/>): damage is a torn tail only in the last segment, with
/// no valid record after it and no durable claim covering it.
/// </remarks>
internal sealed class SegmentWalker
{
    private readonly SegmentReader _reader;
    private readonly uint _segmentId;
    private readonly bool _isLast;
    private readonly DurableClaims _claims;
    private readonly long _cleanEnd;

    /// <summary>Walks the records of segment <paramref name="segmentId"/> from <paramref name="start"/>.</summary>
    /// <param name="reader">The segment's reader.</param>
    /// <param name="segmentId">The segment id (from the file name).</param>
    /// <param name="header">The segment's valid header.</param>
    /// <param name="start">The offset of the first record to read (the header's end, or a recovery point).</param>
    /// <param name="isLast">True when no later segment belongs to the log: only there can damage be a torn tail.</param>
    /// <param name="claims">The durable claims: damage below them is never a torn tail.</param>
    /// <param name="snapshot">The recovery snapshot read at open, or null: a clean one marks the end of a recycled file.</param>
    public SegmentWalker(SegmentReader reader, uint segmentId, in SegmentHeader header, long start, bool isLast, DurableClaims claims, RecoverySnapshot? snapshot)
    {
        _reader = reader;
        _segmentId = segmentId;
        _isLast = isLast;
        _claims = claims;
        _cleanEnd = IsRecycledWithCleanEnd(snapshot, header, segmentId) ? snapshot!.RecoveryPointOffset : -1;
        Offset = start;
    }

    /// <summary>What <see cref="Next"/> found.</summary>
    public enum Step
    {
        /// <summary>A valid stream record; <see cref="Offset"/> moved past it.</summary>
        Record,

        /// <summary>The seal record; <see cref="Offset"/> moved past it and the segment's records are over.</summary>
        Seal,

        /// <summary>The normal end of the records (zeros or the end of the file, or a clean recycled file's end).</summary>
        End,

        /// <summary>Damage at <see cref="Offset"/>; call <see cref="ResumeAfter"/> to go on at the next valid record, or stop.</summary>
        Damage,
    }

    /// <summary>The offset the walk has reached: after the last record read, or the damaged location.</summary>
    public long Offset { get; private set; }

    /// <summary>
    /// The segment header's problem, or null when it is usable (a newer format version is not a problem here: each caller
    /// reports it its own way).
    /// </summary>
    public static string? HeaderProblem(SegmentHeaderStatus status, in SegmentHeader header, uint id) => status switch
    {
        SegmentHeaderStatus.Ok when header.SegmentId != id => $"the header names segment {header.SegmentId}",
        SegmentHeaderStatus.Ok or SegmentHeaderStatus.UnsupportedVersion => null,
        SegmentHeaderStatus.Empty or SegmentHeaderStatus.Truncated => "the segment header is missing or cut off",
        SegmentHeaderStatus.BadMagic => "not a segment file (bad magic number)",
        _ => "the segment header checksum does not match",
    };

    /// <summary>
    /// True when a damaged header is a segment creation that never completed: a header is written and fsynced before any
    /// record, so a damaged header of the last segment with no valid record after it and no durable claim on the segment
    /// is a crash during creation (decision tree 5a); anything else is corruption (5b, 5c).
    /// </summary>
    public static bool IsTornCreation(SegmentHeaderStatus status, SegmentReader reader, uint id, bool isLast, DurableClaims claims)
        => isLast && !claims.TryGet(id, out _, out _)
            && (status is SegmentHeaderStatus.Empty or SegmentHeaderStatus.Truncated || reader.FindNextValidRecord(SegmentHeader.Size - 1) < 0);

    /// <summary>
    /// The bytes of a torn tail at <paramref name="offset"/>: up to the end of the file, or, in a file preallocated to
    /// the whole segment size, up to its last non-zero byte.
    /// </summary>
    public static long TornBytes(SegmentReader reader, in SegmentHeader header, long offset)
    {
        long end = reader.FileLength >= header.SegmentSizeBytes ? reader.NonZeroEnd(offset) : reader.FileLength;
        return Math.Max(0, end - offset);
    }

    /// <summary>Reads what is at <see cref="Offset"/>.</summary>
    /// <param name="record">The record read (<see cref="Step.Record"/>, <see cref="Step.Seal"/>); a view valid until the next call.</param>
    /// <param name="damage">The classified damage (<see cref="Step.Damage"/>).</param>
    public Step Next(out ScannedRecord record, out SegmentDamage damage)
    {
        damage = default;
        var status = _reader.ReadAt(Offset, out record);
        if (status == ScanStatus.Record)
        {
            Offset += record.Header.Length;
            return record.Header.Type == RecordType.Seal ? Step.Seal : Step.Record;
        }

        if (status is ScanStatus.End or ScanStatus.EndOfFile || Offset == _cleanEnd)
        {
            // A clean-shutdown snapshot's recovery point in a recycled file with salted records is the end of the log:
            // the bytes after it are an earlier incarnation's (they fail validation under this segment's salt).
            return Step.End;
        }

        long next = _reader.FindNextValidRecord(Offset);
        bool acknowledged = _claims.Covers(_segmentId, Offset, out string claimWhy);
        damage = new SegmentDamage(Offset, record.Damage ?? "damaged record", next, _isLast, acknowledged, claimWhy);
        return Step.Damage;
    }

    /// <summary>Goes on at the valid record after <paramref name="damage"/>; false (the walk is over) when there is none.</summary>
    public bool ResumeAfter(in SegmentDamage damage)
    {
        if (damage.Next < 0)
        {
            return false;
        }

        Offset = damage.Next;
        return true;
    }

    private static bool IsRecycledWithCleanEnd(RecoverySnapshot? snapshot, in SegmentHeader header, uint segmentId)
        => snapshot is { Clean: true } && header.RecordSalt != 0 && header.IsRecycledFile && segmentId == snapshot.RecoveryPointSegment;
}
