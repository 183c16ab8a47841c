namespace Actors.Storage;

/// <summary>
/// A grain's named persistent state, injected with <see cref="PersistentStateAttribute"/> and loaded before
/// <see cref="Grain.OnActivateAsync"/> (Orleans' shape).
/// </summary>
/// <remarks>
/// Failures: <see cref="InconsistentStateException"/> and <see cref="StateRejectedException"/> leave storage and the
/// activation as they were; any other exception from a write or clear has an unknown outcome, so the activation
/// deactivates once its running requests finish and the next activation reads the stored state again. Only use it on
/// the grain's own scheduler (not thread-safe).
/// </remarks>
/// <typeparam name="TState">The state type (serializable by the store's codec).</typeparam>
public interface IPersistentState<TState> : IPersistentState
{
    /// <summary>The current state.</summary>
    TState State { get; set; }
}
