namespace Actors.Storage;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/>: the runtime injects a state
/// bound to this activation, loaded before <see cref="Grain.OnActivateAsync"/>.
/// </summary>
/// <param name="stateName">The state's name, unique within the grain; part of the storage key.</param>
/// <param name="storageName">The store; null means the grain class's store (<see cref="Providers.StorageProviderAttribute"/>, see <see cref="GrainStoreSelection"/>), else <see cref="StorageNames.Default"/>.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    /// <summary>The state's name.</summary>
    public string StateName { get; } = string.IsNullOrEmpty(stateName)
        ? throw new ArgumentException("A persistent state needs a name.", nameof(stateName))
        : stateName;

    /// <summary>The store named explicitly, or null.</summary>
    public string? StorageName { get; } = storageName;
}
