using System.Collections.Concurrent;
using System.Reflection;
using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Actors.Wal;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// What the log keeps of a log-consistency provider's journals: each grain class's <see cref="WriteAheadLogAttribute.EventHistory"/>,
/// else the provider's <see cref="WriteAheadLogLogConsistencyOptions.EventHistory"/>. A stream whose grain type this silo
/// does not know keeps everything (never reclaims what it cannot judge).
/// </summary>
internal sealed class JournalRetentionSource : IStreamRetentionSource
{
    private readonly WriteAheadLogHistory _providerHistory;
    private readonly IServiceProvider _services;
    private readonly ConcurrentDictionary<string, HistoryRetention> _byGrainType = new(StringComparer.Ordinal);

    public JournalRetentionSource(string provider, WriteAheadLogHistory providerHistory, IServiceProvider services)
    {
        Prefix = GrainStreamNames.JournalPrefix(provider);
        _providerHistory = providerHistory;
        _services = services;
    }

    public string Prefix { get; }

    public HistoryRetention Resolve(string streamId)
    {
        string? grainType = GrainStreamNames.JournalGrainType(streamId, Prefix);
        return grainType is null ? HistoryRetention.KeepAll : _byGrainType.GetOrAdd(grainType, Lookup);
    }

    private HistoryRetention Lookup(string grainType)
    {
        GrainClassMap? classes = _services.GetService<GrainClassMap>();
        if (classes is null || !classes.TryGetGrainClass(GrainType.Create(grainType), out Type? grainClass))
        {
            return HistoryRetention.KeepAll;
        }

        WriteAheadLogAttribute? settings = grainClass.GetCustomAttribute<WriteAheadLogAttribute>(inherit: true);
        WriteAheadLogHistory history = settings is { EventHistory: not WriteAheadLogHistory.ProviderDefault } ? settings.EventHistory : _providerHistory;
        return history == WriteAheadLogHistory.ReclaimAfterCheckpoint ? HistoryRetention.ReclaimAfterCheckpoint : HistoryRetention.KeepAll;
    }
}
