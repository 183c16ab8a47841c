using Actors.Journaling;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Storage;

/// <summary>
/// A log-consistency provider that keeps each grain's journal in the journal store of the grain's own storage
/// (its <c>[StorageProvider]</c>, else the default store): what Orleans' log-storage and state-storage providers do
/// with the grain's storage provider.
/// </summary>
internal sealed class GrainStorageJournalAdaptorFactory(string providerName) : IJournalAdaptorFactory
{
    public IJournalAdaptor<TState, TEvent> Create<TState, TEvent>(JournalAdaptorContext context)
        where TState : class, new()
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(context);
        GrainStoreSelection stores = GrainStoreSelection.For(context.GrainClass);
        string store = stores.StorageName;
        IJournalAdaptorFactory target = context.Services.GetKeyedService<IJournalAdaptorFactory>(store)
            ?? throw new GrainStoreNotConfiguredException(context.GrainClass, store,
                $"Grain type '{context.GrainClass.FullName}' uses log-consistency provider '{providerName}', which keeps the journal in the grain's storage '{store}' ({stores.StorageSelectedBy ?? "the default store"}), but no journal store named '{store}' is configured. Configure it with silo.AddWriteAheadLog(\"{store}\", ...) (durable) or silo.AddMemoryJournalStorage(\"{store}\") (volatile, for tests).");
        if (target is GrainStorageJournalAdaptorFactory)
        {
            throw new GrainStoreNotConfiguredException(context.GrainClass, store,
                $"Grain type '{context.GrainClass.FullName}': log-consistency provider '{providerName}' would keep the journal in '{store}', which is itself a log-consistency provider; name a journal store with [StorageProvider(ProviderName = ...)].");
        }

        return target.Create<TState, TEvent>(context with { StoreName = store });
    }
}
