namespace Actors.Wal.Inspection;

/// <summary>What <see cref="LogInspector.Verify"/> learned about one segment file of the log.</summary>
/// <param name="Id">The segment id (from the file name).</param>
/// <param name="FileName">The file name it was read under (a spare the writer took into use may still carry its <c>.spare</c> name).</param>
/// <param name="FileLength">The file length (preallocated zeros included).</param>
/// <param name="AllocatedBytes">The bytes the file occupies on disk (allocated blocks, preallocated space included; its length where the platform does not say).</param>
/// <param name="HeaderState">What reading the header found.</param>
/// <param name="FormatVersion">The format version that wrote the segment (0 when the header is unreadable).</param>
/// <param name="MinCompatibleVersion">The oldest reader version able to read it (0 when the header is unreadable).</param>
/// <param name="CreatedAt">When the segment was created, or null when the header is not <see cref="SegmentHeaderState.Ok"/>.</param>
/// <param name="SegmentSizeBytes">The segment size the header records (0 when the header is not <see cref="SegmentHeaderState.Ok"/>).</param>
/// <param name="BaseLsn">The first LSN the segment may hold (0 when the header is not <see cref="SegmentHeaderState.Ok"/>).</param>
/// <param name="KeyId">The id of the key its payloads are encrypted with, 0 when they are not (or the header is not <see cref="SegmentHeaderState.Ok"/>).</param>
/// <param name="DataEnd">The offset just after the last valid record (the seal included).</param>
/// <param name="IsSealed">True when the segment ends with a seal record.</param>
/// <param name="Records">Valid stream records (the seal excluded).</param>
/// <param name="RecordBytes">Bytes of valid stream records (header and seal excluded), as the engine accounts them.</param>
/// <param name="LiveBytes">Bytes of records the log still needs, by the engine's liveness rule.</param>
/// <param name="MinLsn">The lowest item LSN in the segment, or 0.</param>
/// <param name="MaxLsn">The highest item LSN in the segment, or 0.</param>
/// <param name="DamagedRecords">Damaged locations found in its records.</param>
public sealed record InspectedSegment(
    uint Id,
    string FileName,
    long FileLength,
    long AllocatedBytes,
    SegmentHeaderState HeaderState,
    ushort FormatVersion,
    ushort MinCompatibleVersion,
    DateTimeOffset? CreatedAt,
    long SegmentSizeBytes,
    long BaseLsn,
    uint KeyId,
    long DataEnd,
    bool IsSealed,
    long Records,
    long RecordBytes,
    long LiveBytes,
    long MinLsn,
    long MaxLsn,
    int DamagedRecords)
{
    /// <summary>Live bytes over record bytes (1 for a segment without records).</summary>
    public double LiveRatio => RecordBytes == 0 ? 1.0 : (double)LiveBytes / RecordBytes;
}
