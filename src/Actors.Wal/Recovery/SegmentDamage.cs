namespace Actors.Wal.Recovery;

/// <summary>A damaged location <see cref="SegmentWalker"/> found, classified by recovery's rule (decision tree 7d).</summary>
/// <param name="Offset">The offset of the damage in the segment file.</param>
/// <param name="Reason">What is wrong with the bytes there.</param>
/// <param name="Next">The offset of the next valid record in the segment, or -1.</param>
/// <param name="InLastSegment">True when the segment is the last of the log.</param>
/// <param name="Acknowledged">True when a durable claim covers the offset: acknowledged data is damaged.</param>
/// <param name="ClaimWhy">Which claim covers it, when <paramref name="Acknowledged"/>.</param>
internal readonly record struct SegmentDamage(long Offset, string Reason, long Next, bool InLastSegment, bool Acknowledged, string ClaimWhy)
{
    /// <summary>
    /// True when the damage can be an append that never completed: in the last segment, no valid record after it and
    /// no durable claim covering it. Opening the log cuts it (TolerateTornTail, Salvage); anything else is corruption.
    /// </summary>
    public bool IsTornTail => InLastSegment && Next < 0 && !Acknowledged;

    /// <summary>
    /// Why the damage is not a torn tail ("; ..." to append to <see cref="Reason"/>), or null when it is one.
    /// </summary>
    public string? NotTornTailBecause => Acknowledged ? "; " + ClaimWhy
        : Next >= 0 ? $"; a valid record follows at offset {Next}, so this is not a torn tail"
        : !InLastSegment ? "; the segment is not the last one, so this is not a torn tail"
        : null;
}
