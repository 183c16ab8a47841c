namespace Actors.Wal;

/// <summary>One segment file's space accounting, as <see cref="WriteAheadLog.GetSegmentSpace"/> reports it.</summary>
/// <param name="SegmentId">The segment's id (its file is <c>&lt;id, 10 digits&gt;.wal</c>).</param>
/// <param name="BaseLsn">The next LSN when the segment was created: its first record's LSN or later.</param>
/// <param name="CreatedAt">When the segment was created (its header's timestamp).</param>
/// <param name="IsSealed">True once sealed: no record is appended to it any more, and only sealed segments are deleted or compacted.</param>
/// <param name="FileBytes">The file's length, including preallocated space.</param>
/// <param name="RecordBytes">Bytes of records written into it (header and seal excluded).</param>
/// <param name="LiveBytes">Bytes of those records still needed for recovery (the rest is reclaimable).</param>
public sealed record SegmentSpace(uint SegmentId, long BaseLsn, DateTimeOffset CreatedAt, bool IsSealed, long FileBytes, long RecordBytes, long LiveBytes)
{
    /// <summary>Bytes of records no longer needed: what deleting or compacting the segment would reclaim.</summary>
    public long ReclaimableBytes => Math.Max(0, RecordBytes - LiveBytes);

    /// <summary>Live bytes over record bytes (1 for an empty segment).</summary>
    public double LiveRatio => RecordBytes == 0 ? 1 : (double)LiveBytes / RecordBytes;
}
