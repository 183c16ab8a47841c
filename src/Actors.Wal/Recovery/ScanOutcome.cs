using Actors.Wal.Segments;

namespace Actors.Wal.Recovery;

/// <summary>What pass 2 found.</summary>
internal struct ScanOutcome
{
    public long RecordsScanned;
    public long Corrupted;
    public int SegmentsScanned;
    public (Segment Segment, long Offset)? TornTail;
    public bool ClaimsViolated;
}
