namespace Actors.Wal.Space;

/// <summary>
/// Which streams have records in one segment, with their highest event version and bytes (merged per stream-id
/// hash: a hash collision only makes the accounting more conservative). Used to decide liveness without reading
/// the segment.
/// </summary>
internal sealed class SegmentSummary
{
    /// <summary>Per stream hash: the highest event version in this segment and the bytes of its records here.</summary>
    public Dictionary<ulong, SummaryItem> Items { get; } = [];

    /// <summary>Bytes of stream records in the segment (header and seal excluded).</summary>
    public long RecordBytes { get; private set; }

    /// <summary>Live bytes as of the last space pass.</summary>
    public long LiveBytes { get; set; }

    /// <summary>Adds a record.</summary>
    public void Add(ulong hash, long maxEventVersion, long bytes)
    {
        Items.TryGetValue(hash, out var item);
        Items[hash] = new SummaryItem(Math.Max(item.MaxEventVersion, maxEventVersion), item.Bytes + bytes);
        RecordBytes += bytes;
    }
}

/// <summary>One stream's footprint in a segment.</summary>
/// <param name="MaxEventVersion">The highest event version of the stream in the segment (0 when only checkpoints/tombstones).</param>
/// <param name="Bytes">Bytes of the stream's records in the segment.</param>
internal readonly record struct SummaryItem(long MaxEventVersion, long Bytes);
