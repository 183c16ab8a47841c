using System.Threading.Channels;
using Actors.Wal.Diagnostics;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.IO;
using Actors.Wal.Segments;
using Actors.Wal.Space;
using Actors.Wal.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Wal;

/// <summary>
/// The file-backed <see cref="IEventLog"/>: many streams in shared, CRC-framed segment files with group commit.
/// Open with <see cref="OpenAsync(WriteAheadLogOptions, ILoggerFactory?, TimeProvider?, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// One writer loop owns the active segment: callers enqueue their batch and await a task that completes when the
/// batch is written (and, under <see cref="SyncPolicy.Always"/>, fsynced). Reads go through an in-memory index and
/// per-stream back-pointers and never scan other streams' records. See docs/wal-format.md.
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
    private readonly Lock _stateLock = new();
    private readonly StreamIndex _index = new();
    private readonly SortedDictionary<uint, Segment> _segments = [];
    private readonly SegmentSpaceTable _space = new();
    private readonly Channel<WriteRequest> _queue = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _maxRecordLength;
    private IDisposable? _directoryLock;
    private Segment? _active;
    private Task _writerTask = Task.CompletedTask;
    private ITimer? _syncTimer;
    private LogFailedException? _failure;
    private int _state;
    private int _pendingRequests;
    private volatile bool _abandoned;
    private long _nextLsn = 1;
    private long _writtenLsn;
    private long _durableLsn;
    private long _appendedRecords;
    private long _appendedBytes;
    private long _commits;
    private long _fsyncs;
    private long _segmentsDeleted;
    private long _segmentsCompacted;
    private long _corruptRecordsSkipped;
    private RecoveryStatistics _recovery = new();

    private WriteAheadLog(WriteAheadLogOptions options, IFileSystem fileSystem, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, ICommitPolicy? commitPolicy)
    {
        _options = options;
        _fileSystem = fileSystem;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<WriteAheadLog>();
        _time = timeProvider ?? TimeProvider.System;
        _commitPolicy = commitPolicy ?? new SizeAndDelayCommitPolicy(options.MaxBatchBytes, options.MaxBatchDelay);
        _maxRecordLength = options.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize;
        _instruments = new WalInstruments(this, options.Directory);
    }

    /// <summary>The log directory.</summary>
    public string Directory => _options.Directory;

    /// <inheritdoc />
    public long WrittenLsn => Volatile.Read(ref _writtenLsn);

    /// <inheritdoc />
    public long DurableLsn => Volatile.Read(ref _durableLsn);

    /// <summary>Requests queued for the writer and not yet taken (tests use it to build group commits deterministically).</summary>
    internal int PendingRequests => Volatile.Read(ref _pendingRequests);

    /// <summary>True when the log is failed (read-only until reopened).</summary>
    public bool IsFailed => Volatile.Read(ref _failure) is not null;

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
            // The writer never started: release the files and the lock, and unregister the instruments (a Meter
            // stays in a process-wide registry, with gauges that capture this instance, until it is disposed).
            log.CloseFiles();
            log._instruments.Dispose();
            throw;
        }

        log.Start();
        return log;
    }

    /// <inheritdoc />
    public StreamInfo GetStreamInfo(string streamId)
    {
        StreamId.Validate(streamId);
        ThrowIfClosed();
        if (!TryGetEntry(streamId, out var entry))
        {
            return StreamInfo.Empty;
        }

        return new StreamInfo(entry.Version, entry.CheckpointVersion, entry.IsDeleted);
    }

    /// <inheritdoc />
    /// <remarks>
    /// O(segments): the live bytes per segment are maintained incrementally by the writer (no disk access, no pass
    /// over every stream).
    /// </remarks>
    public LogStatistics GetStatistics()
    {
        lock (_stateLock)
        {
            long total = 0;
            long live = 0;
            foreach (var segment in _segments.Values)
            {
                total += RecordBytes(segment);
                live += _space.LiveBytes(segment.Id);
            }

            return new LogStatistics
            {
                SegmentCount = _segments.Count,
                StreamCount = _index.Count,
                TotalBytes = total,
                LiveBytes = live,
                AppendedRecords = Interlocked.Read(ref _appendedRecords),
                AppendedBytes = Interlocked.Read(ref _appendedBytes),
                Commits = Interlocked.Read(ref _commits),
                Fsyncs = Interlocked.Read(ref _fsyncs),
                SegmentsDeleted = Interlocked.Read(ref _segmentsDeleted),
                SegmentsCompacted = Interlocked.Read(ref _segmentsCompacted),
                CorruptRecordsSkipped = Interlocked.Read(ref _corruptRecordsSkipped),
                WrittenLsn = WrittenLsn,
                DurableLsn = DurableLsn,
                IsFailed = IsFailed,
                Recovery = _recovery,
            };
        }
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
        _abandoned = true;
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
        SyncPolicy = o.SyncPolicy,
        SyncInterval = o.SyncInterval,
        SegmentSizeBytes = o.SegmentSizeBytes,
        SegmentMaxAge = o.SegmentMaxAge,
        PreallocateSegments = o.PreallocateSegments,
        MaxRecordSizeBytes = o.MaxRecordSizeBytes,
        MaxBatchBytes = o.MaxBatchBytes,
        MaxBatchDelay = o.MaxBatchDelay,
        RecoveryMode = o.RecoveryMode,
        CompactionLiveRatio = o.CompactionLiveRatio,
        RetainSegmentCount = o.RetainSegmentCount,
        RetainMaxAge = o.RetainMaxAge,
        RetainCheckpointedEvents = o.RetainCheckpointedEvents,
        ReadOnly = o.ReadOnly,
    };

    private void Start()
    {
        if (_options.ReadOnly)
        {
            _queue.Writer.TryComplete();
            return;
        }

        _writerTask = Task.Run(WriterLoopAsync);
        if (_options.SyncPolicy == SyncPolicy.Interval)
        {
            _syncTimer = _time.CreateTimer(_ => RequestBackgroundFlush(), null, _options.SyncInterval, _options.SyncInterval);
        }
    }

    private async Task CloseAsync()
    {
        try
        {
            if (_syncTimer is not null)
            {
                await _syncTimer.DisposeAsync().ConfigureAwait(false);
            }

            _queue.Writer.TryComplete();
            await _writerTask.ConfigureAwait(false);
        }
        finally
        {
            CloseFiles();
            _instruments.Dispose();
            _closed.TrySetResult();
        }
    }

    private void CloseFiles()
    {
        lock (_stateLock)
        {
            foreach (var segment in _segments.Values)
            {
                segment.Retire();
            }

            _segments.Clear();
        }

        _directoryLock?.Dispose();
        _directoryLock = null;
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) != StateOpen, this);

    private LogFailedException NewFailure()
    {
        var failure = Volatile.Read(ref _failure)!;
        return new LogFailedException(_options.Directory, failure.Operation, failure.InnerException);
    }
}
