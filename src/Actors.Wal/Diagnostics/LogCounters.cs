namespace Actors.Wal.Diagnostics;

/// <summary>The log's running counters (any thread adds; <see cref="WriteAheadLog.GetStatistics"/> reads).</summary>
internal sealed class LogCounters
{
    /// <summary>Events, checkpoints and tombstones framed.</summary>
    public long AppendedRecords;

    /// <summary>Bytes written by group commits.</summary>
    public long AppendedBytes;

    /// <summary>Group commits written.</summary>
    public long Commits;

    /// <summary>fdatasyncs of segment data (group commits and seals).</summary>
    public long Fsyncs;

    /// <summary>Index demotions (the hot tier merged into the idle one).</summary>
    public long IndexDemotions;

    /// <summary>Segments compacted.</summary>
    public long SegmentsCompacted;

    /// <summary>Streams compaction copied forward (chain consolidation's copies not included).</summary>
    public long StreamsRelocated;

    /// <summary>Framed bytes of the copies compaction wrote (Relocated records the writer accepted).</summary>
    public long CompactionBytesCopied;

    /// <summary>Framed bytes of the copies compaction read and prepared but the writer refused (the stream changed meanwhile).</summary>
    public long CompactionBytesRefused;

    /// <summary>Sparse segments a pass left in place because copying their streams would write more than it frees.</summary>
    public long SegmentsLeftForCopyCost;

    /// <summary>Space passes run (after rotations, on CompactAsync, for erases).</summary>
    public long SpacePasses;

    /// <summary>Space passes skipped because the device was full (nothing durable changed; the next rotation runs one again).</summary>
    public long SpacePassesSkippedNoSpace;

    /// <summary>Time the maintenance thread spent in space passes (their snapshots included), in Stopwatch ticks.</summary>
    public long SpacePassTicks;

    /// <summary>Compaction's copies the writer had to look up in the index (the slot compaction found no longer held the stream).</summary>
    public long IdleCopySearches;

    /// <summary>Space passes that removed erased data (ran pending erasure scans or compacted segments an erase marked).</summary>
    public long ErasePasses;

    /// <summary>Streams chain consolidation copied forward.</summary>
    public long ChainsConsolidated;

    /// <summary>Consolidation requests that copied nothing (the stream changed, grew too large, or no longer qualified).</summary>
    public long ConsolidationsSkipped;

    /// <summary>Recovery snapshots written whole while the log ran.</summary>
    public long SnapshotsWritten;

    /// <summary>Recovery snapshot deltas written while the log ran.</summary>
    public long SnapshotDeltasWritten;

    /// <summary>Bytes of the recovery snapshots and deltas written while the log ran.</summary>
    public long SnapshotBytesWritten;

    /// <summary>Damaged records space management skipped.</summary>
    public long CorruptRecordsSkipped;
}
