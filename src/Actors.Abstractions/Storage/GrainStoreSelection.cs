using System.Collections.Concurrent;
using System.Reflection;
using Actors.Providers;

namespace Actors.Storage;

/// <summary>
/// Which stores a grain class uses, by Orleans' rule: <see cref="StorageProviderAttribute"/> names the state store
/// (else a <see cref="GrainStoreAttribute"/>'s store name, else <see cref="StorageNames.Default"/>), and a journaled
/// grain's <see cref="LogConsistencyProviderAttribute"/> names its journal store (else the state store).
/// </summary>
/// <remarks>
/// Shared by the runtime (silo-start checks, persistent states) and the journaled and stateful grain base classes, so
/// that every path selects the same store and reports a missing one in the same words. Computed once per class.
/// </remarks>
public sealed class GrainStoreSelection
{
    private static readonly ConcurrentDictionary<Type, GrainStoreSelection> Cache = new();

    private GrainStoreSelection(Type grainClass)
    {
        GrainClass = grainClass;
        var storage = grainClass.GetCustomAttribute<StorageProviderAttribute>(inherit: true);
        var logConsistency = grainClass.GetCustomAttribute<LogConsistencyProviderAttribute>(inherit: true);
        var providerSpecific = grainClass.GetCustomAttributes<GrainStoreAttribute>(inherit: true).ToArray();
        var conflicts = new List<string>();

        string? specificName = null;
        foreach (GrainStoreAttribute attribute in providerSpecific.Where(a => a.StoreName is not null))
        {
            if (specificName is not null && specificName != attribute.StoreName)
            {
                conflicts.Add($"[{Describe(attribute)}] names store '{attribute.StoreName}' but another attribute names '{specificName}'");
            }

            specificName ??= attribute.StoreName;
        }

        if (storage is not null)
        {
            StorageName = storage.ProviderName;
            StorageSelectedBy = $"[StorageProvider(ProviderName = \"{storage.ProviderName}\")]";
        }
        else if (specificName is not null)
        {
            StorageName = specificName;
            StorageSelectedBy = $"[{Describe(providerSpecific.First(a => a.StoreName is not null))}(StoreName = \"{specificName}\")]";
        }
        else
        {
            StorageName = StorageNames.Default;
        }

        if (logConsistency is not null)
        {
            JournalStoreName = logConsistency.ProviderName;
            JournalSelectedBy = $"[LogConsistencyProvider(ProviderName = \"{logConsistency.ProviderName}\")]";
        }
        else
        {
            JournalStoreName = StorageName;
            JournalSelectedBy = StorageSelectedBy;
        }

        // A provider attribute that names a store is a shorthand for [StorageProvider]; beside it, it must agree.
        if (specificName is not null && storage is not null && storage.ProviderName != specificName)
        {
            conflicts.Add($"{StorageSelectedBy} and a provider attribute naming store '{specificName}' disagree");
        }

        Conflicts = conflicts.Select(c => $"Grain type '{grainClass.FullName}': {c}; name one store, or leave StoreName unset so the attribute only tunes options.").ToArray();
    }

    /// <summary>The grain class.</summary>
    public Type GrainClass { get; }

    /// <summary>The store of the class's <c>Grain&lt;TState&gt;</c> state and of persistent states that name none.</summary>
    public string StorageName { get; }

    /// <summary>The attribute that named <see cref="StorageName"/>, or null when it is the default.</summary>
    public string? StorageSelectedBy { get; }

    /// <summary>The journal store of a journaled class.</summary>
    public string JournalStoreName { get; }

    /// <summary>The attribute that named <see cref="JournalStoreName"/>, or null when it is the default.</summary>
    public string? JournalSelectedBy { get; }

    /// <summary>Attributes that name different stores for the same purpose (silo start fails with these messages).</summary>
    public IReadOnlyList<string> Conflicts { get; }

    /// <summary>The selection for <paramref name="grainClass"/>.</summary>
    public static GrainStoreSelection For(Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        return Cache.GetOrAdd(grainClass, static t => new GrainStoreSelection(t));
    }

    /// <summary>The exception for a missing journal store (the journal's <see cref="JournalStoreName"/>).</summary>
    /// <param name="grainStorageExists">Whether a grain storage (without journal support) of that name exists.</param>
    public GrainStoreNotConfiguredException MissingJournalStore(bool grainStorageExists)
    {
        string store = JournalStoreName;
        string what = JournalSelectedBy is null
            ? $"names no journal store ([LogConsistencyProvider], [StorageProvider] or a provider attribute such as [WriteAheadLog]), so it uses the default store '{store}'"
            : $"uses journal store '{store}' ({JournalSelectedBy})";
        string missing = grainStorageExists
            ? $"store '{store}' is a grain storage without journal support"
            : $"no journal store named '{store}' is configured";
        return new GrainStoreNotConfiguredException(GrainClass, store,
            $"Grain type '{GrainClass.FullName}' is a JournaledGrain that {what}, but {missing}. {HowToConfigure(store, JournalSelectedBy, "AddMemoryJournalStorage")} A journaled grain never falls back to volatile memory.");
    }

    /// <summary>The exception for a missing grain storage named <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="stateName">The persistent state that needs it, or null for the <c>Grain&lt;TState&gt;</c> state.</param>
    /// <param name="selectedBy">What named the store (an attribute), or null when it is the default.</param>
    public GrainStoreNotConfiguredException MissingGrainStorage(string store, string? stateName, string? selectedBy)
    {
        string whose = stateName is null ? "its Grain<TState> state" : $"persistent state '{stateName}'";
        string what = selectedBy is null
            ? $"names no store for {whose}, so it uses the default store '{store}'"
            : $"uses grain storage '{store}' for {whose} ({selectedBy})";
        return new GrainStoreNotConfiguredException(GrainClass, store,
            $"Grain type '{GrainClass.FullName}' {what}, but no grain storage named '{store}' is configured. {HowToConfigure(store, selectedBy, "AddMemoryGrainStorage")} State never falls back to volatile memory.");
    }

    private static string HowToConfigure(string store, string? selectedBy, string volatileExtension) => selectedBy is null
        ? $"Configure a default store with silo.AddWriteAheadLogAsDefault(...) (durable), or silo.{volatileExtension}() (volatile, for tests), or name a configured one on the class."
        : $"Configure it with silo.AddWriteAheadLog(\"{store}\", ...) (durable) or silo.{volatileExtension}(\"{store}\") (volatile, for tests).";

    private static string Describe(Attribute attribute)
    {
        string name = attribute.GetType().Name;
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name[..^"Attribute".Length] : name;
    }
}
