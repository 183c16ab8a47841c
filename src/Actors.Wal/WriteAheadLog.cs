using Actors.Wal.ChangeFeed;
using Actors.Wal.Diagnostics;
using Actors.Wal.Encryption;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Maintenance;
using Actors.Wal.Reading;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;
using Actors.Wal.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Wal;

/// <summary>
/// The file-backed <see cref="IEventLog"/>: many streams in shared, CRC-framed segment files with group commit.
/// Open with <see cref="OpenAsync(WriteAheadLogOptions, ILoggerFactory?, TimeProvider?, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// <para>A facade over components that each own their state (see docs/wal-format.md, "Engine components"):
/// <see cref="LogWriter"/> (a thread: frames and writes group commits), <see cref="Committer"/> (a thread: fsyncs,
/// publishes the index, acknowledges), <see cref="SegmentManager"/> (segment files, spares, recycling, manifest),
/// <see cref="LogMaintenance"/> (a thread: snapshots, deletion, compaction), <see cref="LogReader"/> (lock-free,
/// asynchronous reads) over a <see cref="StreamIndex"/> readable without locks.</para>
/// <para>Callers enqueue and await: an append completes when its batch is written and, under
/// <see cref="SyncPolicy.Always"/>, fsynced. Reads never scan other streams' records and never wait for the writer.</para>
/// </remarks>
public sealed partial class WriteAheadLog : IEventLog
{
    /// <summary>The lock file's name inside the log directory.</summary>
    public const string LockFileName = "LOCK";

    private const int StateOpen = 0;
    private const int StateClosing = 1;

    private readonly WriteAheadLogOptions _options;
    private readonly IFileSystem _fileSystem;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ICommitPolicy _commitPolicy;
    private readonly WalInstruments _instruments;
    private readonly LogCounters _counters = new();
    private readonly ChangeFeedRetentions _retentions;
    private bool _filesClosed;

    /// <summary>History rewrites (erases, checkpoint deletions) completed: a forward read plans again when it changes.</summary>
    private long _historyRewrites;
    private readonly LogHealth _health;
    private readonly StreamIndex _index = new();
    private readonly SegmentManager _segments;
    private readonly LogReader _reader;
    private readonly RequestPool _pool = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _maxRecordLength;
    private readonly PayloadCipher? _cipher;
    private LogWriter? _writer;
    private Committer? _committer;
    private LogMaintenance? _maintenance;
    private IDisposable? _directoryLock;
    private ITimer? _syncTimer;
    private RecoveredLog? _recovered;
    private int _state;
    private int _backgroundFlushQueued;

    private WriteAheadLog(WriteAheadLogOptions options, IFileSystem fileSystem, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, ICommitPolicy? commitPolicy)
    {
        _options = options;
        _fileSystem = fileSystem;
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = factory.CreateLogger<WriteAheadLog>();
        _time = timeProvider ?? TimeProvider.System;
        _commitPolicy = commitPolicy ?? new AdaptiveCommitPolicy(options.MaxBatchDelay);
        _maxRecordLength = options.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize;
        _health = new LogHealth(options.Directory, _logger);
        _cipher = options.Encryption is { } keys ? new PayloadCipher(keys) : null;
        var segmentFiles = new SegmentFileFactory(options, fileSystem, _time, () => _writer?.NextLsn ?? _recovered?.NextLsn ?? 1, () => _health.IsAbandoned)
        {
            EncryptionKey = _cipher?.Current,
        };
        _segments = new SegmentManager(options, segmentFiles, _time, _logger, () => _health.IsAbandoned, () => _health.IsFailed);
        _reader = new LogReader(options.Directory, _maxRecordLength, _index, _segments, () => Volatile.Read(ref _state) != StateOpen) { Cipher = _cipher };
        _retentions = new ChangeFeedRetentions(options.Directory, options.MaxChangeFeedRetainedBytes);
        _instruments = new WalInstruments(this, options.Directory);
    }

    /// <summary>The log directory.</summary>
    public string Directory => _options.Directory;

    /// <inheritdoc />
    public long WrittenLsn => _committer?.WrittenLsn ?? (_recovered?.NextLsn ?? 1) - 1;

    /// <inheritdoc />
    public long DurableLsn => _committer?.DurableLsn ?? (_recovered?.NextLsn ?? 1) - 1;

    /// <summary>The dependent reads behind the latest stream read's walk (tests: <c>ColdReadCountTests</c>).</summary>
    internal int LastWalkSequentialReads => _reader.LastWalkSequentialReads;

    /// <summary>False: stream reads walk plainly, ignoring anchor positions (tests; the default is the AppContext switch <c>Actors.Wal.AnchoredWalks</c>).</summary>
    internal bool AnchoredWalks
    {
        get => _reader.AnchoredWalks;
        set => _reader.AnchoredWalks = value;
    }

    /// <summary>False: anchored walks ignore span positions (tests; the AppContext switch <c>Actors.Wal.SpanPositionReads</c> does the same for every log).</summary>
    internal bool SpanPositionReads
    {
        get => _reader.SpanPositionReads;
        set => _reader.SpanPositionReads = value;
    }

    /// <summary>Framed groups waiting for the committer (tests).</summary>
    internal int PendingCommitGroups => _committer?.PendingGroups ?? 0;

    /// <summary>True while a thread holds the writer's drain (for tests that need the writer idle before they go on).</summary>
    internal bool WriterIsDraining => _writer?.IsDraining ?? false;

    /// <summary>
    /// Fails the log as a failure outside the commit path does (space management, a rotation that finds no segment):
    /// tests of what readers and commits in flight see then.
    /// </summary>
    internal void EnterFailedForTests(string operation, Exception cause) => _health.EnterFailed(operation, cause);

    /// <summary>
    /// Makes compaction tell the writer another idle slot than the one it found each idle stream in
    /// (<paramref name="redirect"/> maps one to the other): tests of the writer's check of that slot.
    /// </summary>
    internal void RedirectIdleSlotsForTests(Func<int, int> redirect) => _maintenance!.IdleSlotRedirectForTests = redirect;

    /// <summary>
    /// The segment manager's background activity (<see cref="SegmentManager.BackgroundActivity"/> flags) and the rotations
    /// since open, for measurements that attribute append latencies (any thread, no lock).
    /// </summary>
    internal (int Activity, long Rotations) SegmentActivity => (_segments.BackgroundActivity, _segments.Rotations);

    /// <summary>What the read path's read-ahead has advised since open (tests and measurements; any thread).</summary>
    internal Reading.ReadAheadStatistics ReadAheadStatistics => _reader.ReadAheadStatistics;

    /// <summary>True when the log is failed (read-only until reopened).</summary>
    public bool IsFailed => _health.IsFailed;

    /// <summary>
    /// Opens (and recovers) the log in <see cref="WriteAheadLogOptions.Directory"/>, creating it if missing.
    /// </summary>
    /// <param name="options">The options; validated first (an invalid value throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>).</param>
    /// <param name="loggerFactory">Logging; null for none.</param>
    /// <param name="timeProvider">The clock for timestamps, the sync interval and segment age; null for the system clock.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="LogDirectoryLockedException">Another process or instance has the directory open.</exception>
    /// <exception cref="LogCorruptedException">Damage that is not a torn tail (or any damage under <see cref="RecoveryMode.AbsoluteConsistency"/>).</exception>
    /// <exception cref="UnsupportedFormatVersionException">A file was written by an incompatible format version.</exception>
    public static ValueTask<WriteAheadLog> OpenAsync(
        WriteAheadLogOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
        => OpenAsync(options, PhysicalFileSystem.Instance, loggerFactory, timeProvider, null, cancellationToken);

    /// <summary>
    /// Opens (and recovers) the log in <see cref="WriteAheadLogOptions.Directory"/> on <paramref name="fileSystem"/>
    /// instead of the machine's file system: a fault-injecting or power-cut-simulating one in tests, an instrumented one.
    /// </summary>
    /// <param name="options">The options; validated first (an invalid value throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>).</param>
    /// <param name="fileSystem">Every file and directory operation of the log goes through it (see <see cref="IFileSystem"/>'s contract: fsync and directory fsync must make data and names durable).</param>
    /// <param name="loggerFactory">Logging; null for none.</param>
    /// <param name="timeProvider">The clock; null for the system clock.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="LogDirectoryLockedException">Another process or instance has the directory open.</exception>
    /// <exception cref="LogCorruptedException">Damage that is not a torn tail (or any damage under <see cref="RecoveryMode.AbsoluteConsistency"/>).</exception>
    /// <exception cref="UnsupportedFormatVersionException">A file was written by an incompatible format version.</exception>
    public static ValueTask<WriteAheadLog> OpenAsync(
        WriteAheadLogOptions options,
        IFileSystem fileSystem,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        CancellationToken cancellationToken)
        => OpenAsync(options, fileSystem, loggerFactory, timeProvider, null, cancellationToken);

    /// <summary>Opens the log on a custom file system (fault injection, crash simulation) and commit policy.</summary>
    internal static async ValueTask<WriteAheadLog> OpenAsync(
        WriteAheadLogOptions options,
        IFileSystem fileSystem,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        ICommitPolicy? commitPolicy = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fileSystem);
        WriteAheadLogOptionsValidator.ThrowIfInvalid(options);
        cancellationToken.ThrowIfCancellationRequested();
        var log = new WriteAheadLog(CopyOptions(options), fileSystem, loggerFactory, timeProvider, commitPolicy);
        try
        {
            await Task.Run(log.Recover, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Nothing started: release the files and the lock, and unregister the instruments (a Meter stays in a
            // process-wide registry, with gauges that capture this instance, until it is disposed).
            log.CloseFiles();
            log._instruments.Dispose();
            throw;
        }

        await log.StartAsync().ConfigureAwait(false);
        return log;
    }

    /// <inheritdoc />
    /// <remarks>
    /// O(segments): the live bytes per segment are maintained by the committer as records are applied (no disk
    /// access, no pass over every stream). Never waits for the writer.
    /// </remarks>
    public LogStatistics GetStatistics()
    {
        long total = 0;
        long live = 0;
        var segments = _segments.Current;
        foreach (var segment in segments.All)
        {
            total += segment.RecordBytes;
            live += segment.LiveBytes;
        }

        return new LogStatistics
        {
            SegmentCount = segments.Count,
            StreamCount = _index.Count,
            HotStreamCount = _index.HotCount,
            IndexDemotions = Interlocked.Read(ref _counters.IndexDemotions),
            TotalBytes = total,
            LiveBytes = live,
            AppendedRecords = Interlocked.Read(ref _counters.AppendedRecords),
            AppendedBytes = Interlocked.Read(ref _counters.AppendedBytes),
            Commits = Interlocked.Read(ref _counters.Commits),
            Fsyncs = Interlocked.Read(ref _counters.Fsyncs),
            SegmentsDeleted = _segments.SegmentsDeleted,
            SpareWaits = _segments.SpareWaits,
            ZeroFillsCut = _segments.ZeroFillsCut,
            ManifestWriteFailures = _segments.ManifestWriteFailures,
            ChangeFeedRetainedBytes = _retentions.HeldBytes,
            ChangeFeedReadersDropped = _retentions.Dropped,
            SegmentsCompacted = Interlocked.Read(ref _counters.SegmentsCompacted),
            StreamsRelocated = Interlocked.Read(ref _counters.StreamsRelocated),
            IdleCopySearches = Interlocked.Read(ref _counters.IdleCopySearches),
            CompactionBytesCopied = Interlocked.Read(ref _counters.CompactionBytesCopied),
            CompactionBytesRefused = Interlocked.Read(ref _counters.CompactionBytesRefused),
            SegmentsLeftForCopyCost = Interlocked.Read(ref _counters.SegmentsLeftForCopyCost),
            SpacePasses = Interlocked.Read(ref _counters.SpacePasses),
            SpacePassesSkippedNoSpace = Interlocked.Read(ref _counters.SpacePassesSkippedNoSpace),
            SpacePassTime = System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _counters.SpacePassTicks)),
            SnapshotsWritten = Interlocked.Read(ref _counters.SnapshotsWritten),
            SnapshotDeltasWritten = Interlocked.Read(ref _counters.SnapshotDeltasWritten),
            SnapshotBytesWritten = Interlocked.Read(ref _counters.SnapshotBytesWritten),
            ErasePasses = Interlocked.Read(ref _counters.ErasePasses),
            ChainsConsolidated = Interlocked.Read(ref _counters.ChainsConsolidated),
            ConsolidationsSkipped = Interlocked.Read(ref _counters.ConsolidationsSkipped) + (_maintenance?.ConsolidationsDropped ?? 0),
            CorruptRecordsSkipped = Interlocked.Read(ref _counters.CorruptRecordsSkipped),
            WrittenLsn = WrittenLsn,
            DurableLsn = DurableLsn,
            IsFailed = IsFailed,
            Failure = _health.Failure,
            DiskFull = _health.DiskFull,
            Recovery = _recovered?.Statistics ?? new RecoveryStatistics(),
            SegmentsWithOlderKeys = _cipher is null ? 0 : segments.All.Count(s => s.Header.KeyId != _cipher.Current.Id),
        };
    }

    /// <summary>
    /// Each segment file's space, oldest first: what <see cref="GetStatistics"/> sums, per file, so an operator sees
    /// which segments hold reclaimable space. O(segments) (one file-length query each), never waits for the writer. A
    /// segment deleted while this runs is left out.
    /// </summary>
    public IReadOnlyList<SegmentSpace> GetSegmentSpace()
    {
        var segments = _segments.Current;
        var result = new List<SegmentSpace>(segments.Count);
        foreach (var segment in segments.All)
        {
            if (!segment.TryAcquire())
            {
                continue; // deleted since the set was read: its file may be closed already
            }

            try
            {
                result.Add(new SegmentSpace(
                    segment.Id,
                    segment.Header.BaseLsn,
                    segment.CreatedAt,
                    segment.IsSealed,
                    segment.File.Length,
                    segment.RecordBytes,
                    segment.LiveBytes));
            }
            finally
            {
                segment.Release();
            }
        }

        return result;
    }

    /// <summary>Drains pending appends, fsyncs, writes the recovery snapshot, closes the files and releases the lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.CompareExchange(ref _state, StateClosing, StateOpen) != StateOpen)
        {
            await _closed.Task.ConfigureAwait(false);
            return;
        }

        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Simulates a process crash (for in-process test clusters): pending and later appends fail with
    /// <see cref="LogFailedException"/> or <see cref="ObjectDisposedException"/>, nothing further is written or
    /// fsynced, and the files and the directory lock are released. What is on disk is what a killed process leaves.
    /// </summary>
    public async ValueTask AbandonAsync()
    {
        _health.Abandon();
        if (Interlocked.CompareExchange(ref _state, StateClosing, StateOpen) != StateOpen)
        {
            await _closed.Task.ConfigureAwait(false);
            return;
        }

        await CloseAsync().ConfigureAwait(false);
    }

    private static WriteAheadLogOptions CopyOptions(WriteAheadLogOptions o) => new()
    {
        Directory = Path.GetFullPath(o.Directory),
        Encryption = o.Encryption,
        SyncPolicy = o.SyncPolicy,
        SyncInterval = o.SyncInterval,
        SegmentSizeBytes = o.SegmentSizeBytes,
        SegmentMaxAge = o.SegmentMaxAge,
        PreallocateSegments = o.PreallocateSegments,
        RecycleSegments = o.RecycleSegments,
        MaxRecycledSegments = o.MaxRecycledSegments,
        ZeroFillSegments = o.ZeroFillSegments,
        MaxRecordSizeBytes = o.MaxRecordSizeBytes,
        MaxBatchBytes = o.MaxBatchBytes,
        MaxBatchDelay = o.MaxBatchDelay,
        CommitOnCallingThread = o.CommitOnCallingThread,
        RecoveryMode = o.RecoveryMode,
        CompactionLiveRatio = o.CompactionLiveRatio,
        MaxSparseCopySegments = o.MaxSparseCopySegments,
        SnapshotDeltaMinStreams = o.SnapshotDeltaMinStreams,
        ConsolidateAfterRecords = o.ConsolidateAfterRecords,
        ConsolidationMaxBytes = o.ConsolidationMaxBytes,
        RetainSegmentCount = o.RetainSegmentCount,
        RetainMaxAge = o.RetainMaxAge,
        MaxChangeFeedRetainedBytes = o.MaxChangeFeedRetainedBytes,
        RetainCheckpointedEvents = o.RetainCheckpointedEvents,
        RetainHistoryFor = o.RetainHistoryFor,
        RetainLastVersions = o.RetainLastVersions,
        StreamRetention = o.StreamRetention,
        HistoryTrimAge = o.HistoryTrimAge,
        EraseCompactionQuietPeriod = o.EraseCompactionQuietPeriod,
        EraseCompactionMaxDelay = o.EraseCompactionMaxDelay,
        ReadOnly = o.ReadOnly,
    };

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) != StateOpen, this);
}
