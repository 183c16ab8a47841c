using System.Diagnostics.Metrics;

namespace Actors.Wal.Diagnostics;

/// <summary>
/// The log's <see cref="System.Diagnostics.Metrics"/> instruments (meter <c>Actors.Wal</c>), visible to
/// dotnet-counters and OpenTelemetry without extra code. One instance per open log, tagged with its directory.
/// </summary>
internal sealed class WalInstruments : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Actors.Wal";

    private static readonly KeyValuePair<string, object?> PhaseWait = new("commit.phase", "wait");
    private static readonly KeyValuePair<string, object?> PhaseLinger = new("commit.phase", "linger");
    private static readonly KeyValuePair<string, object?> PhaseWrite = new("commit.phase", "write");
    private static readonly KeyValuePair<string, object?> PhaseSync = new("commit.phase", "fsync");
    private static readonly KeyValuePair<string, object?> PhasePublish = new("commit.phase", "publish");

    private readonly Meter _meter;
    private readonly Counter<long> _appends;
    private readonly Counter<long> _bytes;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _fsyncLatency;
    private readonly Histogram<double> _recoveryTime;
    private readonly Histogram<double> _commitPhase;
    private readonly KeyValuePair<string, object?> _tag;

    /// <summary>Creates the instruments for <paramref name="log"/>.</summary>
    public WalInstruments(WriteAheadLog log, string directory)
    {
        _meter = new Meter(MeterName);
        _tag = new KeyValuePair<string, object?>("wal.directory", directory);
        _appends = _meter.CreateCounter<long>("actors.wal.appends", "{batch}", "Append batches, checkpoints and deletes committed.");
        _bytes = _meter.CreateCounter<long>("actors.wal.bytes", "By", "Record bytes written.");
        _batchSize = _meter.CreateHistogram<int>("actors.wal.commit.batches", "{batch}", "Batches per group commit.");
        _fsyncLatency = _meter.CreateHistogram<double>("actors.wal.fsync.duration", "s", "fsync latency.");
        _recoveryTime = _meter.CreateHistogram<double>("actors.wal.recovery.duration", "s", "Time to open and recover the log.");
        _commitPhase = _meter.CreateHistogram<double>(
            "actors.wal.commit.phase.duration",
            "s",
            "Per commit, the committer's time in each phase (tag commit.phase): wait (for a first group, from the end of the previous commit), linger (for more), write (the gather writes), fsync, publish (closing the next group, index, positions, completions).");
        _meter.CreateObservableGauge("actors.wal.segments", () => new Measurement<int>(log.GetStatistics().SegmentCount, _tag), "{segment}", "Segment files present.");
        _meter.CreateObservableGauge("actors.wal.live_ratio", () => LiveRatio(log), "1", "Live bytes / total bytes.");
        _meter.CreateObservableGauge("actors.wal.live_bytes", () => new Measurement<long>(log.GetStatistics().LiveBytes, _tag), "By", "Bytes of records still needed for recovery.");
        _meter.CreateObservableCounter("actors.wal.manifest.write_failures", () => new Measurement<long>(log.GetStatistics().ManifestWriteFailures, _tag), "{failure}", "Segment manifest writes that failed since open.");
        _meter.CreateObservableGauge("actors.wal.changefeed.retained_bytes", () => new Measurement<long>(log.GetStatistics().ChangeFeedRetainedBytes, _tag), "By", "Sealed-segment bytes the most demanding retained change-feed reader holds back from deletion.");
        _meter.CreateObservableCounter("actors.wal.changefeed.readers_dropped", () => new Measurement<long>(log.GetStatistics().ChangeFeedReadersDropped, _tag), "{reader}", "Retained change-feed readers dropped for holding more than MaxChangeFeedRetainedBytes.");
        _meter.CreateObservableCounter("actors.wal.erase.passes", () => new Measurement<long>(log.GetStatistics().ErasePasses, _tag), "{pass}", "Space passes that removed erased data (coalesced: one per burst of erases, or per CompactAsync that found some).");
        _meter.CreateObservableCounter("actors.wal.compaction.streams_relocated", () => new Measurement<long>(log.GetStatistics().StreamsRelocated, _tag), "{stream}", "Streams compaction copied forward (each copy counted).");
        _meter.CreateObservableCounter("actors.wal.compaction.bytes_copied", () => new Measurement<long>(log.GetStatistics().CompactionBytesCopied, _tag), "By", "Framed bytes of the copies compaction wrote (divided by actors.wal.bytes: space management's write amplification).");
        _meter.CreateObservableCounter("actors.wal.compaction.bytes_refused", () => new Measurement<long>(log.GetStatistics().CompactionBytesRefused, _tag), "By", "Framed bytes of copies compaction read and prepared that the writer refused (the stream changed meanwhile).");
        _meter.CreateObservableCounter("actors.wal.compaction.segments_left_for_cost", () => new Measurement<long>(log.GetStatistics().SegmentsLeftForCopyCost, _tag), "{segment}", "Sparse segments passes left in place because copying their streams would write more than deleting them frees.");
        _meter.CreateObservableCounter("actors.wal.space.passes", () => new Measurement<long>(log.GetStatistics().SpacePasses, _tag), "{pass}", "Space passes run.");
        _meter.CreateObservableCounter("actors.wal.space.passes_skipped_no_space", () => new Measurement<long>(log.GetStatistics().SpacePassesSkippedNoSpace, _tag), "{pass}", "Space passes skipped because the device was full while nothing durable had changed (the next rotation runs one again).");
        _meter.CreateObservableCounter("actors.wal.space.pass_time", () => new Measurement<double>(log.GetStatistics().SpacePassTime.TotalSeconds, _tag), "s", "Time the maintenance thread spent in space passes (their snapshots included).");
        _meter.CreateObservableCounter("actors.wal.compaction.idle_copy_searches", () => new Measurement<long>(log.GetStatistics().IdleCopySearches, _tag), "{stream}", "Compaction's copies of idle streams the writer had to search the index for (the slot compaction found no longer held the stream).");
        _meter.CreateObservableCounter("actors.wal.snapshot.written", () => new Measurement<long>(log.GetStatistics().SnapshotsWritten, _tag), "{snapshot}", "Recovery snapshots written whole (index.snapshot) while the log ran.");
        _meter.CreateObservableCounter("actors.wal.snapshot.deltas_written", () => new Measurement<long>(log.GetStatistics().SnapshotDeltasWritten, _tag), "{snapshot}", "Recovery snapshot deltas written (index.delta: the entries changed since the last whole snapshot).");
        _meter.CreateObservableCounter("actors.wal.snapshot.bytes_written", () => new Measurement<long>(log.GetStatistics().SnapshotBytesWritten, _tag), "By", "Bytes of the recovery snapshots and deltas written while the log ran.");
        _meter.CreateObservableCounter("actors.wal.consolidations", () => new Measurement<long>(log.GetStatistics().ChainsConsolidated, _tag), "{stream}", "Streams chain consolidation copied forward as one record (ConsolidateAfterRecords).");
        _meter.CreateObservableGauge("actors.wal.index.hot_streams", () => new Measurement<long>(log.GetStatistics().HotStreamCount, _tag), "{stream}", "Streams in the index's hot tier (written since the last demotion, about 150 B more each than an idle stream).");
        _meter.CreateObservableCounter("actors.wal.index.demotions", () => new Measurement<long>(log.GetStatistics().IndexDemotions, _tag), "{demotion}", "Index demotions: the hot tier merged into the idle one while the writer waited.");
        _meter.CreateObservableGauge("actors.wal.failed", () => new Measurement<int>(log.IsFailed ? 1 : 0, _tag), "1", "1 once the log failed (an I/O error writing or syncing records): it refuses writes until reopened, serves reads.");
        _meter.CreateObservableGauge("actors.wal.disk_full", () => new Measurement<int>(log.GetStatistics().DiskFull is null ? 0 : 1, _tag), "1", "1 while writes that need a new segment are refused for want of space (LogDiskFullException); back to 0 by itself once a segment could be created.");
        _meter.CreateObservableGauge("actors.wal.reclaimable_bytes", () => new Measurement<long>(log.GetStatistics().ReclaimableBytes, _tag), "By", "Bytes of records that segment deletion or compaction could reclaim.");
    }

    /// <summary>Records one group commit.</summary>
    public void RecordCommit(int batches, long bytes)
    {
        _appends.Add(batches, _tag);
        _bytes.Add(bytes, _tag);
        _batchSize.Record(batches, _tag);
    }

    /// <summary>Records one fsync.</summary>
    public void RecordFsync(TimeSpan elapsed) => _fsyncLatency.Record(elapsed.TotalSeconds, _tag);

    /// <summary>Records one commit's phases (<see cref="System.Diagnostics.Stopwatch"/> ticks), when anyone listens.</summary>
    public void RecordCommitPhases(long waitTicks, long lingerTicks, long writeTicks, long syncTicks, long publishTicks)
    {
        if (!_commitPhase.Enabled)
        {
            return;
        }

        _commitPhase.Record(Seconds(waitTicks), _tag, PhaseWait);
        _commitPhase.Record(Seconds(lingerTicks), _tag, PhaseLinger);
        _commitPhase.Record(Seconds(writeTicks), _tag, PhaseWrite);
        _commitPhase.Record(Seconds(syncTicks), _tag, PhaseSync);
        _commitPhase.Record(Seconds(publishTicks), _tag, PhasePublish);
    }

    /// <summary>Records how long opening took.</summary>
    public void RecordRecovery(TimeSpan elapsed) => _recoveryTime.Record(elapsed.TotalSeconds, _tag);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private Measurement<double> LiveRatio(WriteAheadLog log)
    {
        var stats = log.GetStatistics();
        return new Measurement<double>(stats.TotalBytes == 0 ? 1.0 : (double)stats.LiveBytes / stats.TotalBytes, _tag);
    }

    private static double Seconds(long ticks) => (double)ticks / System.Diagnostics.Stopwatch.Frequency;
}
