using Actors.Runtime;

namespace Actors.Storage;

/// <summary>
/// Creates the persistent states of an activation (Orleans' <c>IPersistentStateFactory</c> role): what
/// <see cref="Grain{TGrainState}"/> and grain-side libraries use instead of a <c>[PersistentState]</c> constructor
/// parameter. The silo's runtime implements it.
/// </summary>
public interface IPersistentStateFactory
{
    /// <summary>
    /// Creates the state <paramref name="stateName"/> of the activation <paramref name="context"/>, kept in the grain
    /// storage <paramref name="storageName"/> (null: the grain class's <see cref="StorageProviderAttribute"/> store, else
    /// <see cref="StorageNames.Default"/>). Call it while the grain is being constructed: the state is read before
    /// <c>OnActivateAsync</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The activation has already started (the state could not be read before activation).</exception>
    IPersistentState<TState> Create<TState>(IGrainContext context, string stateName, string? storageName = null);
}
