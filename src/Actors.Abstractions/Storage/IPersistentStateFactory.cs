using Actors.Runtime;

namespace Actors.Storage;

/// <summary>
/// Creates persistent states bound to an activation (the runtime registers it; Orleans' <c>IPersistentStateFactory</c>
/// role). <see cref="Grain{TState}"/> uses it for its state; <see cref="PersistentStateAttribute"/> parameters get the
/// same kind of state.
/// </summary>
public interface IPersistentStateFactory
{
    /// <summary>
    /// Creates the state <paramref name="stateName"/> of the activation <paramref name="context"/> in store
    /// <paramref name="storeName"/>; the runtime reads it before the grain's lifecycle starts. Call it while the grain
    /// is being constructed.
    /// </summary>
    /// <param name="context">The activation.</param>
    /// <param name="stateName">The state's name within the grain.</param>
    /// <param name="storeName">The grain storage to use.</param>
    /// <param name="selectedBy">What selected the store (an attribute, for error messages), or null when it is the default.</param>
    IPersistentState<TState> Create<TState>(IGrainContext context, string stateName, string storeName, string? selectedBy);
}
