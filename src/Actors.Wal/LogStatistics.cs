namespace Actors.Wal;

/// <summary>A snapshot of a log's counters and space accounting.</summary>
public sealed record LogStatistics
{
    /// <summary>Segment files present.</summary>
    public int SegmentCount { get; init; }

    /// <summary>Streams known to the index (including deleted ones).</summary>
    public long StreamCount { get; init; }

    /// <summary>
    /// Streams in the index's hot tier: written since the last demotion, each with its id and state object in memory
    /// (about 150 bytes more than an idle stream's 48). The writer demotes them all to the idle tier once they pass an
    /// eighth of the index (at least 16,384); a stream only copied forward by compaction stays idle.
    /// </summary>
    public long HotStreamCount { get; init; }

    /// <summary>Index demotions since open: each merged the hot tier into the idle one while the writer waited.</summary>
    public long IndexDemotions { get; init; }

    /// <summary>Bytes of all segment files (records, not preallocated space).</summary>
    public long TotalBytes { get; init; }

    /// <summary>Bytes of records still needed for recovery.</summary>
    public long LiveBytes { get; init; }

    /// <summary>Bytes that compaction or segment deletion could reclaim.</summary>
    public long ReclaimableBytes => TotalBytes - LiveBytes;

    /// <summary>Records appended since open.</summary>
    public long AppendedRecords { get; init; }

    /// <summary>Bytes appended since open.</summary>
    public long AppendedBytes { get; init; }

    /// <summary>Group commits written since open.</summary>
    public long Commits { get; init; }

    /// <summary>fsyncs issued since open.</summary>
    public long Fsyncs { get; init; }

    /// <summary>Segments deleted since open.</summary>
    public long SegmentsDeleted { get; init; }

    /// <summary>Segments compacted since open.</summary>
    public long SegmentsCompacted { get; init; }

    /// <summary>
    /// Streams compaction copied forward since open, each copy counted (a stream copied by two passes counts twice; chain
    /// consolidation's copies are in <see cref="ChainsConsolidated"/>).
    /// </summary>
    public long StreamsRelocated { get; init; }

    /// <summary>
    /// Framed bytes of the copies compaction wrote since open (Relocated records; chain consolidation's not included):
    /// divided by <see cref="AppendedBytes"/> over a period, the write amplification of space management.
    /// </summary>
    public long CompactionBytesCopied { get; init; }

    /// <summary>
    /// Framed bytes of the copies compaction read and prepared since open that the writer refused because the stream changed
    /// meanwhile (read and wasted, never written).
    /// </summary>
    public long CompactionBytesRefused { get; init; }

    /// <summary>
    /// Sparse segments the background passes left in place since open because copying the streams with live records there
    /// would write more than deleting the segment frees (each pass that leaves one counts it again; see
    /// <see cref="WriteAheadLogOptions.CompactionLiveRatio"/>).
    /// </summary>
    public long SegmentsLeftForCopyCost { get; init; }

    /// <summary>Space passes run since open (after rotations, for <see cref="WriteAheadLog.CompactAsync"/>, for erases).</summary>
    public long SpacePasses { get; init; }

    /// <summary>
    /// Space passes skipped since open because the device was full while nothing durable had changed (a metadata file's
    /// temporary file could not be written, or a copy needed a segment there was no room for); the log kept running and the
    /// next rotation runs a pass again. A skipped pass counts in <see cref="SpacePasses"/> as well.
    /// </summary>
    public long SpacePassesSkippedNoSpace { get; init; }

    /// <summary>Time the maintenance thread spent in space passes since open (the recovery snapshots they write included).</summary>
    public TimeSpan SpacePassTime { get; init; }

    /// <summary>
    /// Compaction's copies of idle streams (not written since the index last demoted them) that the writer had to search
    /// the index for since open, because the idle slot compaction found the stream in no longer held it (the index was
    /// demoted or the stream changed meanwhile; a search may then find the copy stale, and the next pass makes it). The
    /// writer frames the other copies at that slot, without a search on the append path; a count that grows by about the
    /// streams copied in every pass (<see cref="StreamsRelocated"/>) says that shortcut is missed.
    /// </summary>
    public long IdleCopySearches { get; init; }

    /// <summary>
    /// Recovery snapshots written whole since open while the log ran (<c>index.snapshot</c>: after rotations, and at an
    /// open that repaired durable claims; the one written at close is not counted).
    /// </summary>
    public long SnapshotsWritten { get; init; }

    /// <summary>
    /// Recovery snapshot deltas written since open (<c>index.delta</c>: the entries changed since the last whole one,
    /// <see cref="WriteAheadLogOptions.SnapshotDeltaMinStreams"/>).
    /// </summary>
    public long SnapshotDeltasWritten { get; init; }

    /// <summary>Bytes of the snapshots and deltas counted in <see cref="SnapshotsWritten"/> and <see cref="SnapshotDeltasWritten"/>.</summary>
    public long SnapshotBytesWritten { get; init; }

    /// <summary>
    /// Streams chain consolidation copied forward as one record since open
    /// (<see cref="WriteAheadLogOptions.ConsolidateAfterRecords"/>).
    /// </summary>
    public long ChainsConsolidated { get; init; }

    /// <summary>
    /// Consolidation requests since open that copied nothing: the stream changed while it was read (it is asked again
    /// after more records), its copy would exceed <see cref="WriteAheadLogOptions.ConsolidationMaxBytes"/>, or it no
    /// longer qualified (checkpointed or consolidated meanwhile), or the queue of waiting streams was full.
    /// </summary>
    public long ConsolidationsSkipped { get; init; }

    /// <summary>
    /// Space passes since open that removed erased data: they searched the segments for what pending erases and checkpoint
    /// deletions removed, or compacted segments those marked. Background erases are coalesced
    /// (<see cref="WriteAheadLogOptions.EraseCompactionQuietPeriod"/>), so a burst of erases adds one; each
    /// <see cref="WriteAheadLog.CompactAsync"/> that finds erased data adds one.
    /// </summary>
    public long ErasePasses { get; init; }

    /// <summary>
    /// Rotations since open at which the writer waited for the next segment's preparation (a stall of every append in
    /// flight). Non-zero under sustained writes with <see cref="WriteAheadLogOptions.ZeroFillSegments"/> and no recycled
    /// files: zeroing a new segment is slower than filling it.
    /// </summary>
    public long SpareWaits { get; init; }

    /// <summary>
    /// Spares since open whose zero-filling stopped early because the writer was waiting for them; the rest of each is
    /// written over preallocated, never-written blocks.
    /// </summary>
    public long ZeroFillsCut { get; init; }

    /// <summary>
    /// Damaged records met by space management since open. Such a stream is left where it is (its segments stay)
    /// and the log keeps working; reading the stream still reports the damage.
    /// </summary>
    public long CorruptRecordsSkipped { get; init; }

    /// <summary>
    /// Segment manifest writes that failed since open. One in the background leaves the log running on the previous
    /// manifest (the next change rewrites it); a non-zero value on a log that is not failed means the disk refused a
    /// metadata write and deserves attention.
    /// </summary>
    public long ManifestWriteFailures { get; init; }

    /// <summary>The sealed-segment bytes the most demanding retained change-feed reader held back at the latest space pass.</summary>
    public long ChangeFeedRetainedBytes { get; init; }

    /// <summary>Retained change-feed readers dropped since the log opened for holding more than <see cref="WriteAheadLogOptions.MaxChangeFeedRetainedBytes"/>.</summary>
    public long ChangeFeedReadersDropped { get; init; }

    /// <summary>The LSN of the last record handed to the OS.</summary>
    public long WrittenLsn { get; init; }

    /// <summary>The LSN of the last record on stable storage.</summary>
    public long DurableLsn { get; init; }

    /// <summary>True when the log failed (read-only until reopened).</summary>
    public bool IsFailed { get; init; }

    /// <summary>Why the log failed (null unless <see cref="IsFailed"/>): the operation and the I/O error, <see cref="LogFailedException.IsDiskFull"/> for a full disk.</summary>
    public LogFailedException? Failure { get; init; }

    /// <summary>
    /// Set while the log refuses writes that need a new segment because the device is full (<see cref="LogDiskFullException"/>):
    /// the log is healthy, serves reads, takes what fits the active segment and clears this by itself at the next rotation
    /// that gets its segment.
    /// </summary>
    public LogDiskFullException? DiskFull { get; init; }

    /// <summary>What recovery found when the log was opened.</summary>
    public RecoveryStatistics Recovery { get; init; } = new();

    /// <summary>
    /// Live segments whose header names an encryption key other than the current one (or none, in an encrypted log):
    /// compaction rewrites them with the current key; an older key may be dropped from the provider once this is 0.
    /// Always 0 for a log opened without encryption.
    /// </summary>
    public int SegmentsWithOlderKeys { get; init; }
}
