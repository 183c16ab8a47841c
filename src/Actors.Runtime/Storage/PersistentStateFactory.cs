using Actors.Runtime;

namespace Actors.Storage;

/// <summary>The runtime's <see cref="IPersistentStateFactory"/>: states bound to an activation of this silo.</summary>
internal sealed class PersistentStateFactory : IPersistentStateFactory
{
    public IPersistentState<TState> Create<TState>(IGrainContext context, string stateName, string storeName, string? selectedBy)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        ArgumentException.ThrowIfNullOrEmpty(storeName);
        var activation = context as ActivationData
            ?? throw new ArgumentException($"Grain context '{context?.GetType().FullName}' does not belong to this silo's runtime.", nameof(context));
        return new PersistentStateBridge<TState>(stateName, storeName, selectedBy, activation);
    }
}
