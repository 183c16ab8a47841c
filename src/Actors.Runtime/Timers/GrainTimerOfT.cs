using Actors.Runtime;

namespace Actors.Timers;

/// <summary>A grain timer whose callback takes a state value and the timer's cancellation token.</summary>
internal sealed class GrainTimer<TState>(
    ActivationData activation,
    Func<TState, CancellationToken, Task> callback,
    TState state,
    bool interleave,
    bool keepAlive)
    : GrainTimer(activation, interleave, keepAlive)
{
    protected override Task InvokeCallbackAsync(CancellationToken cancellationToken) => callback(state, cancellationToken);

    protected override string Describe() => $"{callback.Method.DeclaringType?.Name}.{callback.Method.Name}";
}
