using Actors.Wal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Persistence.Wal;

/// <summary>
/// One named write-ahead-log store of a silo: its options, codec and the <see cref="IEventLog"/> that every grain
/// using the store shares (one stream per grain).
/// </summary>
/// <remarks>
/// Thread-safe. The log is opened by <see cref="StartAsync"/> (at silo start) or on first use, flushed and closed by
/// <see cref="StopAsync"/> (graceful stop), and abandoned without a flush by <see cref="AbandonAsync"/> (a killed
/// silo in tests).
/// </remarks>
public sealed partial class WriteAheadLogStore : IAsyncDisposable
{
    /// <summary>The name of the default store: <c>Default</c>.</summary>
    public const string DefaultStoreName = Actors.Storage.StorageNames.Default;

    private readonly IEventLogFactory _factory;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IEventLog? _log;
    private bool _stopped;

    /// <summary>Creates the store; the log is not opened yet.</summary>
    public WriteAheadLogStore(string name, WriteAheadLogStoreOptions options, IEventLogFactory factory, ILoggerFactory? loggerFactory = null)
        : this(name, options, factory, loggerFactory, serializer: null)
    {
    }

    /// <summary>
    /// Creates the store; the log is not opened yet. <paramref name="serializer"/> serves
    /// <see cref="WriteAheadLogStoreOptions.UseBinarySerializer"/>, and without it (and without a
    /// <see cref="WriteAheadLogStoreOptions.Codec"/>) the store uses <see cref="DefaultWalCodec"/> over it (JSON for
    /// <see cref="EventTypeAttribute"/> events, binary for <c>[GenerateSerializer]</c> ones), also around a
    /// <see cref="JsonWalCodec"/> given as the codec (its options apply to the JSON records); with no serializer, JSON only.
    /// </summary>
    /// <exception cref="ArgumentException">The options ask for the binary serializer and none is given.</exception>
    public WriteAheadLogStore(string name, WriteAheadLogStoreOptions options, IEventLogFactory factory, ILoggerFactory? loggerFactory, Actors.Serialization.Serializer? serializer)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(factory);
        Name = name;
        Options = options;
        Codec = (options.Codec, serializer) switch
        {
            (JsonWalCodec json, { } binary) => new DefaultWalCodec(binary, json), // the JSON codec's options, and records tagged binary still read
            ({ } chosen, _) => chosen,
            (null, _) when options.UseBinarySerializer => new BinaryWalCodec(serializer ?? throw new ArgumentException($"Store '{name}' uses the binary serializer but no Serializer was given.", nameof(serializer))),
            (null, { } binary) => new DefaultWalCodec(binary),
            (null, null) => new JsonWalCodec(),
        };
        _factory = factory;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<WriteAheadLogStore>();
    }

    /// <summary>The store's name.</summary>
    public string Name { get; }

    /// <summary>The store's options.</summary>
    public WriteAheadLogStoreOptions Options { get; }

    /// <summary>The store's codec.</summary>
    public IWalCodec Codec { get; }

    /// <summary>
    /// The history policies grain classes chose for their streams in this store (<see cref="WriteAheadLogAttribute.EventHistory"/>);
    /// applied by the log when the store opens it. Default: none.
    /// </summary>
    public GrainClassHistory ClassHistory { get; init; } = GrainClassHistory.Empty;

    /// <summary>The open log, or null before start and after stop.</summary>
    public IEventLog? Log => Volatile.Read(ref _log);

    /// <summary>Opens the log if it is not open yet.</summary>
    /// <exception cref="ObjectDisposedException">The store was stopped.</exception>
    public async ValueTask<IEventLog> StartAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _log) is { } open)
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_log is null)
            {
                WriteAheadLogOptions logOptions = Options.ToLogOptions(resolveEncryption: true, ClassHistory);
                IEventLog log = await _factory.OpenAsync(Name, logOptions, _loggerFactory, cancellationToken);
                Volatile.Write(ref _log, log);
                LogOpened(_logger, Name, logOptions.Directory, logOptions.SyncPolicy);
            }

            return _log;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The open log; opens it on first use.</summary>
    public ValueTask<IEventLog> GetLogAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _log) is { } log ? ValueTask.FromResult(log) : StartAsync(cancellationToken);

    /// <summary>Flushes and closes the log (graceful stop). Later calls to <see cref="StartAsync"/> fail.</summary>
    public async ValueTask StopAsync()
    {
        IEventLog? log = await TakeAsync();
        if (log is not null)
        {
            await log.DisposeAsync();
            LogClosed(_logger, Name);
        }
    }

    /// <summary>Abandons the log as a crash would: nothing further is written or flushed, the directory lock is released.</summary>
    public async ValueTask AbandonAsync()
    {
        IEventLog? log = await TakeAsync();
        if (log is not null)
        {
            await _factory.AbandonAsync(log);
            LogAbandoned(_logger, Name);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => StopAsync();

    private async ValueTask<IEventLog?> TakeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _stopped = true;
            IEventLog? log = _log;
            Volatile.Write(ref _log, null);
            return log;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Write-ahead-log store {StoreName} opened its log in {Directory} (sync policy {SyncPolicy})")]
    private static partial void LogOpened(ILogger logger, string storeName, string directory, SyncPolicy syncPolicy);

    [LoggerMessage(2, LogLevel.Information, "Write-ahead-log store {StoreName} flushed and closed its log")]
    private static partial void LogClosed(ILogger logger, string storeName);

    [LoggerMessage(3, LogLevel.Warning, "Write-ahead-log store {StoreName} abandoned its log without flushing (simulated crash)")]
    private static partial void LogAbandoned(ILogger logger, string storeName);
}
