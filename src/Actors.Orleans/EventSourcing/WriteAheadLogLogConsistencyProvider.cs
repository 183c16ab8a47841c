using System.Reflection;
using Actors.Orleans.Codecs;
using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.EventSourcing;
using Orleans.Storage;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// Orleans's log-consistency provider (<see cref="ILogViewAdaptorFactory"/>) for <c>JournaledGrain</c> on the silo's
/// write-ahead log: each grain's events are a stream of the log (<see cref="GrainStreamNames.Journal"/>), checkpointed on
/// the provider's schedule, the class's <see cref="WriteAheadLogAttribute"/> settings winning.
/// </summary>
public sealed class WriteAheadLogLogConsistencyProvider : ILogViewAdaptorFactory
{
    private readonly string _name;
    private readonly WriteAheadLogLogConsistencyOptions _options;
    private readonly SiloLog _log;
    private readonly IGrainLogResolver _logs;
    private readonly ValueCodecs _codecs;

    /// <summary>Creates the provider named <paramref name="name"/>.</summary>
    public WriteAheadLogLogConsistencyProvider(string name, WriteAheadLogLogConsistencyOptions options, SiloLog log, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        _name = name;
        _options = options;
        _log = log;
        _logs = services.GetService<IGrainLogResolver>() ?? new SiloGrainLogResolver(log);
        _codecs = new ValueCodecs(services, options, log.Compress, name);
    }

    /// <summary>False: the provider keeps the events itself, in the silo's log.</summary>
    public bool UsesStorageProvider => false;

    /// <inheritdoc />
    public ILogViewAdaptor<TLogView, TLogEntry> MakeLogViewAdaptor<TLogView, TLogEntry>(
        ILogViewAdaptorHost<TLogView, TLogEntry> hostGrain,
        TLogView initialState,
        string grainTypeName,
        IGrainStorage? grainStorage,
        ILogConsistencyProtocolServices services)
        where TLogView : class, new()
        where TLogEntry : class
    {
        ArgumentNullException.ThrowIfNull(hostGrain);
        ArgumentNullException.ThrowIfNull(services);
        WriteAheadLogAttribute? settings = hostGrain.GetType().GetCustomAttribute<WriteAheadLogAttribute>(inherit: true);
        var schedule = new CheckpointSchedule(
            settings is { CheckpointEveryEvents: >= 0 } ? settings.CheckpointEveryEvents : _options.CheckpointEveryEvents,
            settings is { CheckpointEveryBytes: >= 0 } ? settings.CheckpointEveryBytes : _options.CheckpointEveryBytes);
        var journal = new JournalSettings(
            _name,
            _log,
            _logs,
            services.GrainId,
            _codecs,
            GrainStreamNames.Journal(_name, services.GrainId),
            $"the events of grain {services.GrainId} (log-consistency provider '{_name}')",
            schedule,
            HistoryOf(settings),
            _log.MaxRecordSizeBytes);
        return new WriteAheadLogViewAdaptor<TLogView, TLogEntry>(hostGrain, initialState, services, journal);
    }

    /// <summary>The history a grain class keeps: its attribute's, else the provider's.</summary>
    internal WriteAheadLogHistory HistoryOf(WriteAheadLogAttribute? settings) =>
        settings is { EventHistory: not WriteAheadLogHistory.ProviderDefault } ? settings.EventHistory : _options.EventHistory;
}
