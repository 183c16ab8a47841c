using Actors.Runtime;

namespace Actors.Timers;

/// <summary>
/// Creates grain timers for an activation (Orleans' <c>ITimerRegistry</c>). Grain code uses the
/// <see cref="GrainBaseExtensions"/> methods; infrastructure that holds only an <see cref="IGrainContext"/> resolves this
/// service from <see cref="IGrainContext.ActivationServices"/>.
/// </summary>
public interface ITimerRegistry
{
    /// <summary>Creates a timer owned by <paramref name="grainContext"/> that calls <paramref name="callback"/> with <paramref name="state"/>.</summary>
    /// <param name="grainContext">The activation that owns the timer.</param>
    /// <param name="callback">The callback; its token is cancelled when the timer is disposed or the activation deactivates.</param>
    /// <param name="state">Passed to every callback.</param>
    /// <param name="options">The schedule and admission rules.</param>
    /// <exception cref="ArgumentOutOfRangeException">The due time or period is negative (other than infinite) or too large.</exception>
    /// <exception cref="InvalidOperationException">The activation is deactivating or gone.</exception>
    IGrainTimer RegisterGrainTimer<TState>(IGrainContext grainContext, Func<TState, CancellationToken, Task> callback, TState state, GrainTimerCreationOptions options);
}
