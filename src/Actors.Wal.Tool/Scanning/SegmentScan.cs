using Actors.Wal.Format;

namespace Actors.Wal.Tool.Scanning;

/// <summary>What a full scan learned about one segment file.</summary>
internal sealed class SegmentScan
{
    /// <summary>The segment id from the file name.</summary>
    public required uint Id { get; init; }

    /// <summary>The file name.</summary>
    public required string FileName { get; init; }

    /// <summary>The file length (includes preallocated zeros).</summary>
    public required long FileLength { get; init; }

    /// <summary>The bytes the file occupies on disk (allocated blocks): up to a whole segment when preallocated, whatever its length.</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>The header parse outcome.</summary>
    public SegmentHeaderStatus HeaderStatus { get; set; }

    /// <summary>The parsed header (default unless <see cref="HeaderStatus"/> is Ok).</summary>
    public SegmentHeader Header { get; set; }

    /// <summary>The format version that wrote the segment.</summary>
    public ushort Version { get; set; }

    /// <summary>The oldest reader version able to read the segment.</summary>
    public ushort MinCompatibleVersion { get; set; }

    /// <summary>The offset just after the last valid record (the seal included).</summary>
    public long DataEnd { get; set; }

    /// <summary>True when the segment ends with a seal record.</summary>
    public bool IsSealed { get; set; }

    /// <summary>Valid stream records (seal excluded).</summary>
    public long Records { get; set; }

    /// <summary>Bytes of valid stream records (header and seal excluded), as the engine accounts them.</summary>
    public long RecordBytes { get; set; }

    /// <summary>Bytes of records still needed (computed after the scan with the engine's liveness rule).</summary>
    public long LiveBytes { get; set; }

    /// <summary>The lowest LSN of an item in the segment, or 0.</summary>
    public long MinLsn { get; set; }

    /// <summary>The highest LSN of an item in the segment, or 0.</summary>
    public long MaxLsn { get; set; }

    /// <summary>Damaged records found in this segment.</summary>
    public int DamagedRecords { get; set; }

    /// <summary>When the segment was created (header), or null.</summary>
    public DateTimeOffset? CreatedAt => HeaderStatus == SegmentHeaderStatus.Ok ? new DateTimeOffset(Header.CreatedUtcTicks, TimeSpan.Zero) : null;

    /// <summary>Live bytes / record bytes (1 for a segment without records).</summary>
    public double LiveRatio => RecordBytes == 0 ? 1.0 : (double)LiveBytes / RecordBytes;

    /// <summary>Notes an item LSN.</summary>
    public void AddLsn(long lsn)
    {
        if (lsn <= 0)
        {
            return;
        }

        MinLsn = MinLsn == 0 ? lsn : Math.Min(MinLsn, lsn);
        MaxLsn = Math.Max(MaxLsn, lsn);
    }
}
