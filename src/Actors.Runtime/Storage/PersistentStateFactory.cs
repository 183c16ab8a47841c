using Actors.Runtime;

namespace Actors.Storage;

/// <summary>The silo's <see cref="IPersistentStateFactory"/>: binds a named state of an activation being constructed to its grain storage.</summary>
internal sealed class PersistentStateFactory : IPersistentStateFactory
{
    /// <inheritdoc />
    public IPersistentState<TState> Create<TState>(IGrainContext context, string stateName, string? storageName = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        if (context is not ActivationData activation)
        {
            throw new ArgumentException($"'{context.GetType().FullName}' is not an activation of this silo.", nameof(context));
        }

        return new PersistentStateBridge<TState>(stateName, storageName ?? activation.ClassInfo.DefaultStoreName, activation);
    }
}
