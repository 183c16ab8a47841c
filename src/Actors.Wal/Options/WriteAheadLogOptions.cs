namespace Actors.Wal;

/// <summary>Options of a <see cref="WriteAheadLog"/>. Validated by <see cref="WriteAheadLogOptionsValidator"/>.</summary>
public sealed class WriteAheadLogOptions
{
    /// <summary>
    /// Encryption at rest: every event and checkpoint payload is sealed with AES-GCM under the provider's current key;
    /// reading takes each payload's key from the provider by the id stored with it. Null (default): payloads are written
    /// as given, and a log holding encrypted segments refuses to open (<see cref="EncryptionKeyNotFoundException"/>).
    /// </summary>
    /// <remarks>
    /// Stream ids, versions, LSNs and timestamps stay readable (recovery, backup and the tool need no key). A segment whose
    /// key the provider lacks, or holds under the same id with different bytes, fails the open
    /// (<see cref="EncryptionKeyNotFoundException"/>, <see cref="EncryptionKeyMismatchException"/>, naming the segment and
    /// the key id); an altered payload fails its read with <see cref="LogCorruptedException"/> naming segment and offset.
    /// See <see cref="Encryption.IEncryptionKeyProvider"/> for rotation and docs/wal-format.md, "Encryption at rest".
    /// </remarks>
    public Encryption.IEncryptionKeyProvider? Encryption { get; set; }

    /// <summary>Default segment size: 64 MiB.</summary>
    public const long DefaultSegmentSizeBytes = 64L * 1024 * 1024;

    /// <summary>Default maximum size of one event or checkpoint payload: 16 MiB.</summary>
    public const int DefaultMaxRecordSizeBytes = 16 * 1024 * 1024;

    /// <summary>Default maximum bytes one group commit writes: 4 MiB.</summary>
    public const int DefaultMaxBatchBytes = 4 * 1024 * 1024;

    /// <summary>Default fsync interval under <see cref="SyncPolicy.Interval"/>: 100 ms.</summary>
    public static readonly TimeSpan DefaultSyncInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Default live ratio below which a sealed segment is compacted: 0.5.</summary>
    public const double DefaultCompactionLiveRatio = 0.5;

    /// <summary>The default of <see cref="MaxSparseCopySegments"/>: 4.</summary>
    public const int DefaultMaxSparseCopySegments = 4;

    /// <summary>The default of <see cref="SnapshotDeltaMinStreams"/>: 10,000.</summary>
    public const int DefaultSnapshotDeltaMinStreams = 10_000;

    /// <summary>The default of <see cref="ConsolidateAfterRecords"/>: 128.</summary>
    public const int DefaultConsolidateAfterRecords = 128;

    /// <summary>The default of <see cref="ConsolidationMaxBytes"/>: 256 KiB.</summary>
    public const int DefaultConsolidationMaxBytes = 256 * 1024;

    /// <summary>The default of <see cref="MaxChangeFeedRetainedBytes"/> (1 GiB).</summary>
    public const long DefaultMaxChangeFeedRetainedBytes = 1L << 30;

    /// <summary>The directory holding segments, indexes and the lock file. Required. Created if missing.</summary>
    public string Directory { get; set; } = "";

    /// <summary>When an acknowledged append is durable. Default <see cref="SyncPolicy.Always"/>.</summary>
    public SyncPolicy SyncPolicy { get; set; } = SyncPolicy.Always;

    /// <summary>The fsync period under <see cref="SyncPolicy.Interval"/>; the bound on the power-loss window. Default 100 ms.</summary>
    public TimeSpan SyncInterval { get; set; } = DefaultSyncInterval;

    /// <summary>The size at which the active segment is sealed and a new one started. Default 64 MiB; at least 64 KiB.</summary>
    public long SegmentSizeBytes { get; set; } = DefaultSegmentSizeBytes;

    /// <summary>Seal the active segment once it is older than this, even if not full. Null (default) disables age rotation.</summary>
    public TimeSpan? SegmentMaxAge { get; set; }

    /// <summary>Preallocate each new segment to <see cref="SegmentSizeBytes"/> on creation. Default true.</summary>
    public bool PreallocateSegments { get; set; } = true;

    /// <summary>
    /// Reuse the files of deleted segments as new segments (zeroed first) instead of deleting them. Default true.
    /// </summary>
    /// <remarks>
    /// Writing over blocks a file already holds is cheaper to make durable than writing into freshly allocated ones
    /// (on ext4 an fdatasync over never-written preallocated blocks must also commit the extent conversion), which is
    /// why PostgreSQL recycles its WAL segments. At most <see cref="MaxRecycledSegments"/> files are kept for reuse.
    /// </remarks>
    public bool RecycleSegments { get; set; } = true;

    /// <summary>How many deleted segment files are kept for reuse (<see cref="RecycleSegments"/>). Default 4.</summary>
    public int MaxRecycledSegments { get; set; } = DefaultMaxRecycledSegments;

    /// <summary>Default of <see cref="MaxRecycledSegments"/>: 4.</summary>
    public const int DefaultMaxRecycledSegments = 4;

    /// <summary>
    /// Write zeros over a new segment file, in the background, before it is used. Default false.
    /// </summary>
    /// <remarks>
    /// Costs one sequential write of <see cref="SegmentSizeBytes"/> per new segment (recycled ones are zeroed anyway) and
    /// makes every later fdatasync into the segment as cheap as one over written blocks. Worth it when the log grows at a
    /// moderate rate; under sustained high write rates the zero-filling competes with the log for the disk. The zeros are
    /// written 1 MiB at a time, each chunk fdatasynced before the next, so a commit's flush never queues behind more than
    /// one chunk of them.
    /// </remarks>
    public bool ZeroFillSegments { get; set; }

    /// <summary>The largest payload of one event or checkpoint, in bytes. Larger ones are rejected. Default 16 MiB.</summary>
    public int MaxRecordSizeBytes { get; set; } = DefaultMaxRecordSizeBytes;

    /// <summary>The most bytes one group commit writes before it fsyncs and starts the next. Default 4 MiB.</summary>
    public int MaxBatchBytes { get; set; } = DefaultMaxBatchBytes;

    /// <summary>
    /// Under <see cref="SyncPolicy.Always"/>: the longest the committer waits, after a group was written, for more
    /// requests before it fsyncs and acknowledges what is waiting. It never delays writing: the writer hands every group
    /// to the operating system at once. Default zero: an adaptive wait of half the measured fsync latency, at most
    /// 500 µs. Between 0 and 1 second.
    /// </summary>
    /// <remarks>
    /// The committer waits only while fewer requests are waiting than it expects (those the previous commit completed plus
    /// those that arrived during it: in a closed loop their callers come back), and stops as soon as they are all there,
    /// so a lone writer never waits. With the default it also syncs at once when 64 requests wait; a value above zero is
    /// waited out whatever the group's size (unless everyone expected arrives). It does not wait when a group must be
    /// synced at once (it holds a <see cref="IEventLog.FlushAsync"/>, a segment's seal, or a history rewrite's copy), and
    /// never under <see cref="SyncPolicy.Interval"/> or <see cref="SyncPolicy.None"/>, where no append waits for an fsync.
    /// The committer thread spins while it waits.
    /// </remarks>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Under <see cref="SyncPolicy.None"/> only: an append, checkpoint or delete is framed, written into its segment file
    /// and published by the thread that calls (unless another thread holds the writer at that moment: that thread takes
    /// it along), so its task is complete when the call returns and no committer thread runs. Default false: a committer
    /// thread of its own writes and publishes what the callers framed.
    /// </summary>
    /// <remarks>
    /// <para>For logs that are never synced and written by few threads, many to a process (replication's materialized
    /// logs, one per partition replica): each append then costs a write system call on the caller's thread instead of a
    /// wake-up of the committer thread, a write there and a hop back to the caller through the thread pool.</para>
    /// <para>Every contract stays: writes are applied in call order, version checks and refusals are the same, a reader
    /// sees a record only once it is written and published, and a completed task means the record is in the segment file
    /// (the operating system's cache), as under <see cref="SyncPolicy.None"/> with a committer. What still needs an fsync
    /// (a segment's seal at rotation, <see cref="IEventLog.FlushAsync"/>, a history rewrite's copy) runs it on the calling
    /// thread, which therefore may block on the disk; a caller must hold no lock that a completion's continuation needs.</para>
    /// </remarks>
    public bool CommitOnCallingThread { get; set; }

    /// <summary>How damaged records are treated at open. Default <see cref="RecoveryMode.TolerateTornTail"/>.</summary>
    public RecoveryMode RecoveryMode { get; set; } = RecoveryMode.TolerateTornTail;

    /// <summary>A sealed segment whose live bytes fall below this fraction is compacted. Default 0.5; 0 disables compaction.</summary>
    /// <remarks>
    /// Background passes compare with this fraction what the compaction would write, not only the segment's own live bytes:
    /// a copy carries a stream's whole live content (with <see cref="RetainCheckpointedEvents"/>, its whole stored history),
    /// so a segment is compacted only while the live bytes of all the streams with records there, over all their segments,
    /// stay below this fraction of the segment's bytes. A segment holding a few events of long keep-all journals among
    /// dead records stays in place (its dead bytes with it) instead of rewriting those histories after every rotation;
    /// <see cref="WriteAheadLog.CompactAsync"/>, an erase, an older key and expired history compact it whatever the cost.
    /// </remarks>
    public double CompactionLiveRatio { get; set; } = DefaultCompactionLiveRatio;

    /// <summary>
    /// How many sparse segments whose live records may all be copies compaction already made (their live bytes are at most
    /// the bytes of Relocated records written there) background compaction leaves in place. Default 4; 0 compacts them
    /// like any other sparse segment.
    /// </summary>
    /// <remarks>
    /// <para>Compaction copies a stream's live records into the segment the log is writing, among the new records of the
    /// streams in use. Streams that are no longer written (a silo's idle grains) keep their copies there while the records
    /// around them die, so that segment falls below <see cref="CompactionLiveRatio"/> in turn; copying them again only
    /// moves them beside newer records, which die the same way. Without this bound a log holding many idle streams
    /// copies them again after nearly every rotation (measured with 100,000 idle streams beside 256 writers: 0.37x of the
    /// bare group-commit loop's appends per second without it, 0.54x with it; the run logs before issue 64, in git history).</para>
    /// <para>Such segments wait until more than this many exist; then every one of them is compacted again (sparsest
    /// first, <see cref="MaxBatchBytes"/> of live data per pass), which gathers their copies into fewer segments. The cost
    /// is disk space: up to this many segments' reclaimable bytes stay on disk. <see cref="WriteAheadLog.CompactAsync"/>, an
    /// erase, an older encryption key and expired history compact them at once. A segment the log did not write since it
    /// opened and recovery did not scan counts no copies, so the first pass after an open may copy its records once
    /// more.</para>
    /// </remarks>
    public int MaxSparseCopySegments { get; set; } = DefaultMaxSparseCopySegments;

    /// <summary>
    /// Incremental recovery snapshots: when the index holds at least this many streams, a recovery snapshot written while
    /// the log runs (after a rotation, or by a space pass) holds only the entries changed since the last full one
    /// (<c>index.delta</c>) while those are at most a quarter of the full one's entries and the deltas since it add up
    /// to less than its size. Default 10,000; 0 writes every snapshot whole.
    /// </summary>
    /// <remarks>
    /// A full snapshot (<c>index.snapshot</c>) is about 40 bytes per stream (39 MB with 1,000,000 streams) and a rotation
    /// writes one, so with many idle streams the snapshots' bytes compete with the appends'. A delta holds only the streams
    /// written, copied or erased since the full snapshot (each delta holds every change since it, so one file is kept);
    /// once those pass a quarter of the index, or the deltas written since the full snapshot add up to its size, the next
    /// snapshot is whole again (and the deltas after it small). The first snapshot after an open and the
    /// one written at close are whole. Recovery reads both files: the cost is one more file read at open.
    /// </remarks>
    public int SnapshotDeltaMinStreams { get; set; } = DefaultSnapshotDeltaMinStreams;

    /// <summary>
    /// Chain consolidation: when a read of a stream's latest state would walk this many records (its latest record back to
    /// its checkpoint, <see cref="IEventLog.ReadStreamAsync"/>), the maintenance thread copies the checkpoint and every
    /// event after it forward as one record, as compaction copies a stream, so the next cold read fetches a few
    /// contiguous pages instead of one page per record. Default 128; 0 disables.
    /// </summary>
    /// <remarks>
    /// <para>Each record after a checkpoint lies wherever the log was when it was appended, among other streams' records: a
    /// read with the pages evicted costs about one disk read per record. Consolidation bounds that to fewer than this many
    /// records after the copy. It runs off the append path (on the maintenance thread, from pages that are usually still
    /// cached) and is skipped when the stream changes meanwhile (it is asked again after this many more records).</para>
    /// <para>It applies only to streams with a checkpoint (or a deletion) as their base, whose copy is at most
    /// <see cref="ConsolidationMaxBytes"/>, and never in a log that retains checkpointed events
    /// (<see cref="RetainCheckpointedEvents"/>, where a copy would carry the whole retained history). The cost is
    /// written bytes: every copy rewrites the checkpoint and all events since it, so a stream appending E events between
    /// checkpoints writes about E² ÷ (2 × this value) events' bytes more (1,000 events: about 4 times each event). The
    /// grain providers checkpoint every 100 events by default and never reach the default of 128. A checkpoint below the
    /// stream's version (a stream queue trimmed to what its subscribers consumed) neither ends the walk nor makes earlier
    /// records dead, so such a stream's live bytes keep growing: once they pass twice <see cref="ConsolidationMaxBytes"/>
    /// it is not even read for a copy, and before that its copies are mostly refused because its checkpoints land between
    /// them.</para>
    /// </remarks>
    public int ConsolidateAfterRecords { get; set; } = DefaultConsolidateAfterRecords;

    /// <summary>
    /// Chain consolidation copies a stream only while its copy (checkpoint and later events, framed) is at most this many
    /// bytes (and fits in one segment); a longer tail stays where it is until the stream's next checkpoint. Default 256 KiB.
    /// </summary>
    public int ConsolidationMaxBytes { get; set; } = DefaultConsolidationMaxBytes;

    /// <summary>Audit retention: keep at least this many of the newest sealed segments even when dead. Default 0.</summary>
    public int RetainSegmentCount { get; set; }

    /// <summary>Audit retention: keep sealed segments younger than this even when dead. Null (default) disables.</summary>
    public TimeSpan? RetainMaxAge { get; set; }

    /// <summary>
    /// The most sealed-segment bytes one retained change-feed reader (<see cref="WriteAheadLog.RetainChanges"/>) may hold
    /// back from deletion; a reader past it is dropped (<see cref="ChangeFeedReaderDroppedException"/>), so a dead reader
    /// cannot fill the disk. Default 1 GiB.
    /// </summary>
    public long MaxChangeFeedRetainedBytes { get; set; } = DefaultMaxChangeFeedRetainedBytes;

    /// <summary>
    /// Keep every event of a stream even when a checkpoint covers it, so <see cref="IEventLog.ReadEventsAsync"/> can
    /// read a stream's whole history. Default false: events covered by a durable checkpoint become reclaimable.
    /// </summary>
    /// <remarks>
    /// A checkpoint then only shortens recovery (activation reads it and the events after it); it frees no space, except
    /// for a stream whose <see cref="StreamRetention"/> policy keeps none of the events it covers
    /// (<see cref="HistoryRetention.ReclaimAfterCheckpoint"/>): such a stream's checkpoint supersedes what it covers exactly
    /// as with this option off.
    /// Space is still reclaimed from deleted streams, erased events and deleted checkpoints: compaction copies a stream's
    /// whole stored history forward (its events, with its latest checkpoint after the events it covers; older, superseded
    /// checkpoints are not copied, except those a checkpoint deletion kept beside the base it copied), so a stream whose
    /// stored history exceeds one record stays where it is. Events reclaimed while
    /// the option was off stay reclaimed when it is turned on. The option is not stored in the log: every opener of a
    /// directory (tools included) must pass the same value, or a space pass may reclaim history.
    /// </remarks>
    public bool RetainCheckpointedEvents { get; set; }

    /// <summary>
    /// With <see cref="RetainCheckpointedEvents"/>: keep the events a checkpoint covers only while they are younger than this
    /// (by append time); null (default) keeps them all. Events after a stream's newest checkpoint are always kept.
    /// </summary>
    /// <remarks>
    /// Applied when compaction copies a stream forward: a space pass compacts every sealed segment sealed more than this
    /// long ago (all its events are older), and each copy leaves out the covered events older than this. Reads of those
    /// versions then throw <see cref="EventsReclaimedException"/>. The price: a stream's kept records are copied again each
    /// time the segment holding them reaches this age. Not stored in the log (like <see cref="RetainCheckpointedEvents"/>).
    /// </remarks>
    public TimeSpan? RetainHistoryFor { get; set; }

    /// <summary>
    /// With <see cref="RetainCheckpointedEvents"/>: keep, of the events a checkpoint covers, only those of the stream's newest
    /// this many versions (a stream at version 100 keeping 10 keeps events 91..100); null (default) keeps them all. Events
    /// after a stream's newest checkpoint are always kept. At least 1; not together with <see cref="RetainHistoryFor"/>.
    /// </summary>
    /// <remarks>
    /// Applied when compaction copies a stream forward; a space pass compacts every sealed segment sealed more than
    /// <see cref="HistoryTrimAge"/> ago for it. Reads of the versions left out throw <see cref="EventsReclaimedException"/>.
    /// Not stored in the log (like <see cref="RetainCheckpointedEvents"/>).
    /// </remarks>
    public int? RetainLastVersions { get; set; }

    /// <summary>
    /// Per-stream history policies over the log's own (<see cref="RetainCheckpointedEvents"/>, <see cref="RetainHistoryFor"/>,
    /// <see cref="RetainLastVersions"/>): called with a stream id, it returns the stream's policy, or null for the log's.
    /// Null (default): every stream follows the log's policy.
    /// </summary>
    /// <remarks>
    /// <para>Needs <see cref="RetainCheckpointedEvents"/> = true: in a log that reclaims checkpointed events nothing is kept to
    /// apply a policy to, so a stream that should keep history could not.</para>
    /// <para>A stream whose policy is <see cref="HistoryRetention.ReclaimAfterCheckpoint"/> (its
    /// <see cref="HistoryRetention.RetainsCheckpointedEvents"/> is false) is treated as in a log that reclaims: its
    /// checkpoint covering its version supersedes every earlier record of the stream at once, so those records count as
    /// dead, and the normal space passes delete a segment whose records are all dead and compact a mostly dead one, with no
    /// <see cref="HistoryTrimAge"/> wait. Reads of the covered events throw <see cref="EventsReclaimedException"/> once
    /// their segment is gone; <see cref="IEventLog.ReadStreamAsync"/> returns the newest checkpoint and every later event.
    /// Streams whose policy retains (<see cref="HistoryRetention.KeepAll"/>, <see cref="HistoryRetention.KeepFor"/>,
    /// <see cref="HistoryRetention.KeepLastVersions"/>, null) keep every record live until a compaction copy leaves out what
    /// their policy drops (for KeepFor and KeepLastVersions: every sealed segment sealed more than
    /// <see cref="HistoryTrimAge"/> ago is compacted).</para>
    /// <para>Called when the writer first uses a stream's index entry (a new stream, or one promoted from the idle tier),
    /// when recovery first meets a stream's record, and when compaction copies a stream; the answer for the liveness is
    /// cached in the stream's entry, so applying a record never calls it. It must be fast, must not throw (an exception
    /// counts as a policy that retains, until the entry is next created), and must give the same answer for a stream every
    /// time (a grain store maps the stream id's grain type to the grain class's policy): the writer, recovery and every
    /// reopen then rebuild the same liveness. Grain stores in a group, tools and every opener of the directory must pass
    /// the same function (it is not stored in the log); an opener without it keeps every stream's records (more, never
    /// less).</para>
    /// </remarks>
    public Func<string, HistoryRetention?>? StreamRetention { get; set; }

    /// <summary>Default of <see cref="HistoryTrimAge"/>: one hour.</summary>
    public static readonly TimeSpan DefaultHistoryTrimAge = TimeSpan.FromHours(1);

    /// <summary>
    /// With <see cref="RetainLastVersions"/> or <see cref="StreamRetention"/>: a space pass compacts every sealed segment
    /// sealed longer ago than this, so the copies leave out what the policies no longer keep. Default one hour;
    /// must be positive (the copies of a pass land in a segment that is young again, so a pass never rewrites its own copies).
    /// The price: a stream's kept records are copied again each time the segment holding them reaches this age.
    /// </summary>
    /// <remarks>
    /// Streams whose <see cref="StreamRetention"/> policy is <see cref="HistoryRetention.ReclaimAfterCheckpoint"/> do not
    /// wait for it: their checkpoints make the covered records dead at once (see <see cref="StreamRetention"/>). It is what
    /// trims <see cref="HistoryRetention.KeepFor"/> and <see cref="HistoryRetention.KeepLastVersions"/> streams and
    /// <see cref="RetainLastVersions"/>; the passes it triggers copy the other streams of those segments too. When only
    /// <see cref="StreamRetention"/> trims, a segment is compacted for its age only if a stream with live records there
    /// may trim (its policy is KeepFor or KeepLastVersions, or not known yet because the stream was not used since the
    /// open): segments of keep-all and reclaiming streams are not rewritten for their age.
    /// </remarks>
    public TimeSpan HistoryTrimAge { get; set; } = DefaultHistoryTrimAge;

    /// <summary>Default of <see cref="EraseCompactionQuietPeriod"/>: one second.</summary>
    public static readonly TimeSpan DefaultEraseCompactionQuietPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Default of <see cref="EraseCompactionMaxDelay"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultEraseCompactionMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the background erase pass waits after the latest erase or checkpoint deletion before it starts, so that a
    /// burst of erases is removed from the files by one pass. Default 1 s; zero: every erase asks for a space pass at
    /// once (the behaviour before session 10). At most 10 minutes.
    /// </summary>
    /// <remarks>
    /// Erased data is unreadable as soon as the erase returns, whatever this says; the setting decides only when its
    /// bytes leave the files in the background. The erase pass searches every segment for what the pending erases removed,
    /// seals the active segment if it holds any, and compacts and deletes every marked segment (rounds of about
    /// <see cref="MaxBatchBytes"/> until none marked before it started remains). Meanwhile the other passes (after a
    /// rotation) leave marked segments to it. <see cref="WriteAheadLog.CompactAsync"/> does not wait: it removes
    /// everything erased before it at once. A log closed (or killed) while erases wait keeps their marks and scans on
    /// disk: the next open runs the erase pass at once. Why one second: an erase costs a few milliseconds (a synced
    /// copy), so the erases of a batch job arrive well within it, and each pass that runs between two erases of a burst
    /// may copy forward the segment the next erase marks (measured: 1,000 erases, one pass each, rewrote a 104 MiB log
    /// about 40 times).
    /// </remarks>
    public TimeSpan EraseCompactionQuietPeriod { get; set; } = DefaultEraseCompactionQuietPeriod;

    /// <summary>
    /// The longest the background erase pass waits after the oldest erase it has not removed yet, even while erases keep
    /// arriving closer together than <see cref="EraseCompactionQuietPeriod"/>. Default 30 s; at least
    /// <see cref="EraseCompactionQuietPeriod"/> and more than zero; at most one hour.
    /// </summary>
    /// <remarks>
    /// Bounds how long erased bytes stay in the files of a running log (plus the pass's own time): under a continuous
    /// stream of erases a pass runs at least this often, and each pass rewrites the marked segments, so a shorter bound
    /// costs more copying. 30 s keeps that to at most one rewrite of the marked segments per half minute.
    /// </remarks>
    public TimeSpan EraseCompactionMaxDelay { get; set; } = DefaultEraseCompactionMaxDelay;

    /// <summary>Open without taking the lock and refuse every write (for tools). Default false.</summary>
    public bool ReadOnly { get; set; }
}
