using Actors.Journaling;
using Actors.Serialization;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting;

/// <summary>
/// Registers the volatile (in-memory) storage providers and the log-consistency providers that keep a journal in the
/// grain's own store (Orleans' silo-builder names).
/// </summary>
public static class StorageSiloBuilderExtensions
{
    /// <summary>The name Orleans gives the log-storage-based log-consistency provider: <c>LogStorage</c>.</summary>
    public const string LogStorageProviderName = "LogStorage";

    /// <summary>The name Orleans gives the state-storage-based log-consistency provider: <c>StateStorage</c>.</summary>
    public const string StateStorageProviderName = "StateStorage";

    /// <summary>
    /// Adds a volatile <see cref="MemoryGrainStorage"/> named <paramref name="name"/> (default
    /// <see cref="StorageNames.Default"/>): states live until the silo stops. For tests and grains that need no
    /// durability; a grain uses it only when it is configured under the name the grain selects.
    /// </summary>
    public static ISiloBuilder AddMemoryGrainStorage(this ISiloBuilder builder, string name = StorageNames.Default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => new MemoryGrainStorage(sp.GetRequiredService<IGrainSerializer>()));
        return builder;
    }

    /// <summary>Adds a volatile <see cref="MemoryGrainStorage"/> as the default store (Orleans' <c>AddMemoryGrainStorageAsDefault</c>).</summary>
    public static ISiloBuilder AddMemoryGrainStorageAsDefault(this ISiloBuilder builder) => builder.AddMemoryGrainStorage(StorageNames.Default);

    /// <summary>
    /// Adds a volatile journal store named <paramref name="name"/> (default <see cref="StorageNames.Default"/>):
    /// journaled grains that select it keep their events in silo memory until the silo stops. It is used only when
    /// configured explicitly, as Orleans' memory providers are; a journaled grain never falls back to it.
    /// </summary>
    public static ISiloBuilder AddMemoryJournalStorage(this ISiloBuilder builder, string name = StorageNames.Default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddKeyedSingleton<IJournalAdaptorFactory>(name, (_, _) => new MemoryJournalAdaptorFactory());
        return builder;
    }

    /// <summary>
    /// Adds Orleans' log-storage-based log-consistency provider under <paramref name="name"/>: a journaled grain with
    /// <c>[LogConsistencyProvider(ProviderName = name)]</c> keeps its events in the journal store of its
    /// <c>[StorageProvider]</c> (else <see cref="StorageNames.Default"/>), for example a write-ahead-log store, so grain
    /// code and silo configuration ported from Orleans keep working.
    /// </summary>
    public static ISiloBuilder AddLogStorageBasedLogConsistencyProvider(this ISiloBuilder builder, string name = LogStorageProviderName) =>
        AddStorageBasedJournal(builder, name);

    /// <summary>
    /// Adds Orleans' state-storage-based log-consistency provider under <paramref name="name"/>. It routes the journal
    /// to the grain's store exactly as <see cref="AddLogStorageBasedLogConsistencyProvider"/> does: Actors' stores keep
    /// events and checkpoints, so such grains also keep their history (Orleans' provider keeps only the latest state).
    /// </summary>
    public static ISiloBuilder AddStateStorageBasedLogConsistencyProvider(this ISiloBuilder builder, string name = StateStorageProviderName) =>
        AddStorageBasedJournal(builder, name);

    private static ISiloBuilder AddStorageBasedJournal(ISiloBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddKeyedSingleton<IJournalAdaptorFactory>(name, (_, _) => new GrainStorageJournalAdaptorFactory(name));
        return builder;
    }
}
