using Microsoft.Extensions.DependencyInjection;
using Orleans.EventSourcing;
using Orleans.Storage;

namespace Actors.Orleans.Hosting;

/// <summary>
/// The silo's unkeyed <see cref="ILogViewAdaptorFactory"/> (what a <c>JournaledGrain</c> without
/// <c>[LogConsistencyProvider]</c> uses) once <c>AddWriteAheadLog</c> is called: classes with
/// <see cref="WriteAheadLogAttribute"/> go to the write-ahead-log provider named <see cref="WriteAheadLogAttribute.ProviderName"/>;
/// every other class goes to the default the silo had, or to Orleans's own default (the state kept in grain storage).
/// </summary>
internal sealed class AttributeRoutedLogConsistency(IServiceProvider serviceProvider, DefaultProviderFallback<ILogViewAdaptorFactory> fallback) : ILogViewAdaptorFactory
{
    private readonly ILogViewAdaptorFactory _orleansDefault = new global::Orleans.EventSourcing.StateStorage.LogConsistencyProvider();

    /// <summary>
    /// Asked before the grain is known: the other classes' default decides. A class on the log then gets a grain storage
    /// it does not use (the attribute routes that to the write-ahead log too, so nothing fails for it).
    /// </summary>
    public bool UsesStorageProvider => (fallback.Instance ?? _orleansDefault).UsesStorageProvider;

    public ILogViewAdaptor<TLogView, TLogEntry> MakeLogViewAdaptor<TLogView, TLogEntry>(
        ILogViewAdaptorHost<TLogView, TLogEntry> hostGrain,
        TLogView initialState,
        string grainTypeName,
        IGrainStorage? grainStorage,
        ILogConsistencyProtocolServices services)
        where TLogView : class, new()
        where TLogEntry : class
    {
        ILogViewAdaptorFactory factory = GrainClassAttributes.IsOnLog(hostGrain.GetType())
            ? serviceProvider.GetRequiredKeyedService<ILogViewAdaptorFactory>(WriteAheadLogAttribute.ProviderName)
            : fallback.Instance ?? _orleansDefault;
        return factory.MakeLogViewAdaptor(hostGrain, initialState, grainTypeName, grainStorage, services);
    }
}
