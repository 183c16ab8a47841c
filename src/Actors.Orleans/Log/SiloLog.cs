using System.Diagnostics;
using Actors.Wal;
using Actors.Wal.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Actors.Orleans.Log;

/// <summary>
/// The silo's one write-ahead log, shared by every write-ahead-log provider: it opens at
/// <see cref="ServiceLifecycleStage.RuntimeStorageServices"/>, before any grain activates, and closes when that stage
/// stops, after the grains have deactivated.
/// </summary>
/// <remarks>
/// The log runs on the <see cref="IFileSystem"/> registered in the silo's services if there is one (tests: fault
/// injection, the power-cut simulator), else on the machine's file system.
/// Thread safety: every member may be called from any thread. <see cref="Log"/> throws
/// <see cref="WriteAheadLogUnavailableException"/> outside the open window, so no call is ever served by a log that is
/// not there (nothing falls back to memory).
/// </remarks>
public sealed partial class SiloLog : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly SiloLogOptions _options;
    private readonly WriteAheadLogOptions _engineOptions;
    private readonly StreamRetentionRegistry _retention;
    private readonly IReadOnlyCollection<string> _providerPrefixes;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IFileSystem _fileSystem;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _grainsStopping = new();
    private WriteAheadLog? _log;
    private SiloLogState _state;
    private string _description = "the silo has not reached its storage stage yet";
    private Exception? _openError;
    private TimeSpan _openDuration;
    private SingleSiloGuard? _singleSilo;

    /// <summary>Creates the silo's log (it opens with the silo's lifecycle).</summary>
    public SiloLog(IOptions<SiloLogOptions> options, StreamRetentionRegistry retention, ILoggerFactory loggerFactory, TimeProvider? time = null)
        : this(options, retention, loggerFactory, time, fileSystem: null)
    {
    }

    /// <summary>
    /// Creates the silo's log on <paramref name="fileSystem"/> (null: the machine's): the <see cref="IFileSystem"/>
    /// registered in the silo's services, which tests use for fault injection and power-cut simulation.
    /// </summary>
    internal SiloLog(IOptions<SiloLogOptions> options, StreamRetentionRegistry retention, ILoggerFactory loggerFactory, TimeProvider? time, IFileSystem? fileSystem)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(retention);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _engineOptions = _options.ToEngineOptions();
        _retention = retention;
        _providerPrefixes = retention.Prefixes;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SiloLog>();
        _time = time ?? TimeProvider.System;
        _fileSystem = fileSystem ?? PhysicalFileSystem.Instance;
        GrainsStopping = _grainsStopping.Token;
    }

    /// <summary>The open log, also when it failed: a failed log still serves reads (grains whose data is durable keep
    /// activating) and refuses writes with the engine's <see cref="LogFailedException"/>, which names the cause.</summary>
    /// <exception cref="WriteAheadLogUnavailableException">The log is not open (see the message for why).</exception>
    public IEventLog Log
    {
        get
        {
            WriteAheadLog? log = Volatile.Read(ref _log);
            if (log is not null)
            {
                _singleSilo?.ThrowIfSeveralSilos(_options.Directory);
                return DecorateForTests is { } decorate ? decorate(log) : log;
            }

            SiloLogStatus status = GetStatus();
            throw new WriteAheadLogUnavailableException($"The silo's write-ahead log in '{_options.Directory}' cannot serve: {status.Description}", _openError);
        }
    }

    /// <summary>
    /// The log when it is open and has not failed, else false; unlike <see cref="Log"/> it neither throws nor applies the
    /// single-silo guard: for checks that only look for data this silo's log holds.
    /// </summary>
    internal bool TryGetOpenLog([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEventLog? log)
    {
        WriteAheadLog? open = Volatile.Read(ref _log);
        log = open is { IsFailed: false } ? open : null;
        return log is not null;
    }

    /// <summary>Tests only: wraps what <see cref="Log"/> returns (fault injection between the parts of a journaled batch).</summary>
    internal Func<IEventLog, IEventLog>? DecorateForTests { get; set; }

    /// <summary>Makes every use of <see cref="Log"/> refuse while <paramref name="membership"/> shows several active silos (see <see cref="SingleSiloGuard"/>).</summary>
    internal void GuardSingleSilo(IClusterMembershipService membership) => _singleSilo = new SingleSiloGuard(membership);

    /// <summary>The stream prefixes of the silo's providers (<c>s/{provider}/</c>, <c>j/{provider}/</c>), one per provider.</summary>
    public IReadOnlyCollection<string> ProviderPrefixes => _providerPrefixes;

    /// <summary>The log's directory.</summary>
    public string Directory => _options.Directory;

    /// <summary>The largest record the log accepts (one state, event or checkpoint with its envelope).</summary>
    public int MaxRecordSizeBytes => _engineOptions.MaxRecordSizeBytes;

    /// <summary>Whether the providers compress what they write.</summary>
    public bool Compress => _options.Compression == RecordCompression.Brotli;

    /// <summary>A snapshot of the log's state for health checks.</summary>
    public SiloLogStatus GetStatus()
    {
        lock (_gate)
        {
            if (_state == SiloLogState.Open && _log is { } log)
            {
                LogStatistics statistics = log.GetStatistics();
                return statistics switch
                {
                    { IsFailed: true } => new SiloLogStatus(SiloLogState.Failed, _options.Directory, DescribeFailure(statistics.Failure), statistics.StreamCount, statistics.DurableLsn, _openDuration),
                    { DiskFull: { } full } => new SiloLogStatus(
                        SiloLogState.DiskFull,
                        _options.Directory,
                        $"no space left on the device: writes that need a new segment ('{full.SegmentPath}', {full.SegmentSizeBytes} bytes, SiloLogOptions.{nameof(SiloLogOptions.SegmentSizeBytes)}, configuration key {Hosting.WriteAheadLogGrainStorageProviderBuilder.LogSection}:{nameof(SiloLogOptions.SegmentSizeBytes)}) " +
                        "are refused and resume by themselves once there is room; reads are served",
                        statistics.StreamCount,
                        statistics.DurableLsn,
                        _openDuration),
                    _ => new SiloLogStatus(SiloLogState.Open, _options.Directory, _description, statistics.StreamCount, statistics.DurableLsn, _openDuration),
                };
            }

            return new SiloLogStatus(_state, _options.Directory, _description, 0, 0, _openDuration);
        }
    }

    private static string DescribeFailure(LogFailedException? failure) => failure switch
    {
        { IsDiskFull: true } => $"no space left on the device: the log failed during {failure.Operation} and refuses writes until the silo restarts " +
            "(a failed write or fsync is never retried: the outcome of the writes in flight is unknown); reads are served. Free space, then restart the silo",
        not null => $"the log hit an I/O error during {failure.Operation} ({failure.InnerException?.Message}) and refuses writes until the silo restarts; reads are served",
        null => "the log hit an I/O error and refuses writes until the silo restarts (see the silo's log); reads are served",
    };

    /// <summary>
    /// Cancelled when the silo is about to deactivate its grains to stop (just before
    /// <see cref="ServiceLifecycleStage.GrainDeactivation"/> stops): a journaled grain's batch the log refuses is then failed
    /// to its caller instead of retried, so the grain's deactivation, and the silo's stop, does not wait for space or a
    /// restart that will not come while it runs.
    /// </summary>
    /// <remarks>Read as taken at construction: it stays readable after <see cref="DisposeAsync"/> disposed its source.</remarks>
    internal CancellationToken GrainsStopping { get; }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(SiloLog), ServiceLifecycleStage.RuntimeStorageServices, OpenAsync, CloseAsync);
        lifecycle.Subscribe(nameof(SiloLog) + ".GrainsStopping", ServiceLifecycleStage.GrainDeactivation + 1, _ => Task.CompletedTask, _ => _grainsStopping.CancelAsync());
    }

    /// <summary>
    /// Opens (and recovers) the log, then checks that every provider the log recorded at earlier opens is configured
    /// (<see cref="ProviderPrefixLedger"/>). Called by the silo's lifecycle; tests may call it directly.
    /// </summary>
    /// <exception cref="WriteAheadLogUnavailableException">The log could not open; its inner exception says why (an
    /// <see cref="UnconfiguredProviderDataException"/> when the log recorded a provider this silo lacks).</exception>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_state is SiloLogState.Open or SiloLogState.Opening)
            {
                return;
            }

            _state = SiloLogState.Opening;
            _description = "recovery is running";
        }

        WriteAheadLogOptions engine = _options.ToEngineOptions();
        engine.RetainCheckpointedEvents = true;
        engine.StreamRetention = _retention.Resolve;
        long started = Stopwatch.GetTimestamp();
        try
        {
            WriteAheadLog log = await WriteAheadLog.OpenAsync(engine, _fileSystem, _loggerFactory, _time, cancellationToken).ConfigureAwait(false);
            try
            {
                await CheckProvidersAsync(log, engine.ReadOnly, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await log.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            RecoveryStatistics recovery = log.GetStatistics().Recovery;
            lock (_gate)
            {
                _openDuration = Stopwatch.GetElapsedTime(started);
                _log = log;
                _state = SiloLogState.Open;
                _description = recovery.CleanShutdown
                    ? $"open, sync policy {_options.SyncPolicy}; opened in {_openDuration.TotalMilliseconds:F0} ms after a clean close"
                    : $"open, sync policy {_options.SyncPolicy}; opened in {_openDuration.TotalMilliseconds:F0} ms after a crash or first start: recovery scanned {recovery.RecordsScanned} record(s), cut {recovery.TruncatedBytes} torn-tail byte(s)";
            }

            LogOpened(_options.Directory, _options.SyncPolicy, recovery.Streams, _openDuration.TotalMilliseconds, recovery.CleanShutdown);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _state = SiloLogState.OpenFailed;
                _openError = ex;
                _description = $"opening failed: {ex.GetType().Name}: {ex.Message}";
            }

            LogOpenFailed(ex, _options.Directory);
            throw new WriteAheadLogUnavailableException($"The silo's write-ahead log in '{_options.Directory}' could not open: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Refuses a log that recorded providers this silo lacks (<see cref="ProviderPrefixLedger"/>), then records the
    /// configured ones it lacks. A log open read-only records nothing; a record the engine refuses or fails is logged and
    /// the silo starts (this open's check was made; a later open just does not know these providers yet).
    /// </summary>
    private async Task CheckProvidersAsync(WriteAheadLog log, bool readOnly, CancellationToken cancellationToken)
    {
        var (missing, version) = await ProviderPrefixLedger.CheckAsync(log, _options.Directory, _providerPrefixes, _options.RetiredProviders, cancellationToken).ConfigureAwait(false);
        if (missing.Count == 0 || readOnly)
        {
            return;
        }

        try
        {
            await ProviderPrefixLedger.RecordAsync(log, missing, version, cancellationToken).ConfigureAwait(false);
        }
        catch (WalException ex)
        {
            LogProvidersNotRecorded(ex, _options.Directory, string.Join(", ", missing));
        }
    }

    /// <summary>Closes the log: every write acknowledged so far is durable when this completes.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        WriteAheadLog? log;
        lock (_gate)
        {
            log = _log;
            _log = null;
            if (log is null)
            {
                return;
            }

            _state = SiloLogState.Closed;
            _description = "closed: the silo stopped";
        }

        await log.DisposeAsync().ConfigureAwait(false);
        LogClosed(_options.Directory);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseAsync(CancellationToken.None).ConfigureAwait(false);
        _grainsStopping.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Write-ahead log open in {Directory} (sync policy {SyncPolicy}, {Streams} streams) in {Milliseconds:F0} ms; clean close before: {CleanShutdown}")]
    private partial void LogOpened(string directory, SyncPolicy syncPolicy, long streams, double milliseconds, bool cleanShutdown);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The write-ahead log in {Directory} could not open; the silo does not start")]
    private partial void LogOpenFailed(Exception exception, string directory);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Write-ahead log in {Directory} closed")]
    private partial void LogClosed(string directory);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Write-ahead log in {Directory}: the providers {Prefixes} could not be recorded in its provider ledger; a later open without them will not notice their data")]
    private partial void LogProvidersNotRecorded(Exception exception, string directory, string prefixes);
}
