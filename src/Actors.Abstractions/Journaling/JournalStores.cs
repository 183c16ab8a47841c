using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Journaling;

/// <summary>Finds the journal store of a journaled grain class (see <see cref="GrainStoreSelection"/>) and creates its adaptor.</summary>
internal static class JournalStores
{
    /// <summary>The adaptor of one activation.</summary>
    /// <exception cref="GrainStoreNotConfiguredException">No journal store of the selected name is configured; nothing falls back to memory.</exception>
    public static IJournalAdaptor<TState, TEvent> CreateAdaptor<TState, TEvent>(GrainId grainId, Type grainClass, IServiceProvider services)
        where TState : class, new()
        where TEvent : class
    {
        GrainStoreSelection stores = GrainStoreSelection.For(grainClass);
        string store = stores.JournalStoreName;
        IJournalAdaptorFactory factory = services.GetKeyedService<IJournalAdaptorFactory>(store)
            ?? throw stores.MissingJournalStore(services.GetKeyedService<IGrainStorage>(store) is not null);
        return factory.Create<TState, TEvent>(new JournalAdaptorContext(grainId, grainClass, store, services));
    }
}
