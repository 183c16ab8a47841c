using Actors.Storage;

namespace Actors.Runtime;

/// <summary>
/// The rarely used part of an activation, allocated only when first needed, so a plain activation stays small:
/// deactivation requests, keep-alive, the departure signal, lifecycle participants and persistent-state loaders.
/// </summary>
/// <remarks>
/// Owned by one <see cref="ActivationData"/>. The deactivation fields are read and written under the activation's
/// gate; <see cref="Lifecycle"/> and <see cref="StateLoaders"/> only from the activation's own turns while it activates
/// and deactivates.
/// </remarks>
internal sealed class ActivationExtras
{
    /// <summary>Until when idle collection must leave the activation alone (UTC ticks; 0 for no keep-alive).</summary>
    public long KeepAliveUntilTicks { get; set; }

    /// <summary>Deactivate as soon as the activation is idle (DeactivateOnIdle, Invalidate, silo stop), for this reason.</summary>
    public DeactivationReason? DeactivateWhenIdle { get; set; }

    /// <summary>Start no further queued request; they go to the next activation (state may no longer match storage).</summary>
    public bool StopServing { get; set; }

    /// <summary>Completed when the activation has left the catalog (created when someone waits for it).</summary>
    public TaskCompletionSource? Departed { get; set; }

    /// <summary>The grain-side lifecycle participants, or null.</summary>
    public ActivationLifecycle? Lifecycle { get; set; }

    /// <summary>Open call-chain reentrant sections by reentrancy id, with their nesting depth (under the gate), or null.</summary>
    public Dictionary<Guid, int>? ReentrantSections { get; set; }

    /// <summary>The activation's grain-extension objects by extension interface (touched only from its turns), or null.</summary>
    public Dictionary<Type, object>? Extensions { get; set; }

    /// <summary>Persistent states to load before OnActivateAsync, or null.</summary>
    public List<IPersistentStateLoader>? StateLoaders { get; set; }
}
