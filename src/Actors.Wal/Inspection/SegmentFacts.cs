using Actors.Wal.Format;

namespace Actors.Wal.Inspection;

/// <summary>What a verification learns about one segment file while it reads it; becomes an <see cref="InspectedSegment"/>.</summary>
/// <remarks>Owned by one <see cref="VerificationRun"/>, on one thread.</remarks>
internal sealed class SegmentFacts
{
    /// <summary>The segment id from the file name.</summary>
    public required uint Id { get; init; }

    /// <summary>The file name.</summary>
    public required string FileName { get; init; }

    /// <summary>The file length (includes preallocated zeros).</summary>
    public required long FileLength { get; init; }

    /// <summary>The bytes the file occupies on disk.</summary>
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

    /// <summary>Bytes of valid stream records.</summary>
    public long RecordBytes { get; set; }

    /// <summary>Bytes of records still needed (computed after the scan with the engine's liveness rule).</summary>
    public long LiveBytes { get; set; }

    /// <summary>The lowest LSN of an item in the segment, or 0.</summary>
    public long MinLsn { get; set; }

    /// <summary>The highest LSN of an item in the segment, or 0.</summary>
    public long MaxLsn { get; set; }

    /// <summary>Damaged records found in this segment.</summary>
    public int DamagedRecords { get; set; }

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

    /// <summary>The public, immutable view.</summary>
    public InspectedSegment ToInspected()
    {
        bool ok = HeaderStatus == SegmentHeaderStatus.Ok;
        return new InspectedSegment(
            Id,
            FileName,
            FileLength,
            AllocatedBytes,
            HeaderStatus switch
            {
                SegmentHeaderStatus.Ok => SegmentHeaderState.Ok,
                SegmentHeaderStatus.Empty => SegmentHeaderState.Empty,
                SegmentHeaderStatus.Truncated => SegmentHeaderState.Truncated,
                SegmentHeaderStatus.BadMagic => SegmentHeaderState.BadMagic,
                SegmentHeaderStatus.BadChecksum => SegmentHeaderState.BadChecksum,
                _ => SegmentHeaderState.UnsupportedVersion,
            },
            Version,
            MinCompatibleVersion,
            ok ? new DateTimeOffset(Header.CreatedUtcTicks, TimeSpan.Zero) : null,
            ok ? Header.SegmentSizeBytes : 0,
            ok ? Header.BaseLsn : 0,
            ok ? Header.KeyId : 0,
            DataEnd,
            IsSealed,
            Records,
            RecordBytes,
            LiveBytes,
            MinLsn,
            MaxLsn,
            DamagedRecords);
    }
}
