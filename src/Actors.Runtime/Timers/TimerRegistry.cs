using Actors.Runtime;

namespace Actors.Timers;

/// <summary>The silo's <see cref="ITimerRegistry"/>: creates timers for activations of this silo.</summary>
internal sealed class TimerRegistry : ITimerRegistry
{
    /// <inheritdoc />
    public IGrainTimer RegisterGrainTimer<TState>(IGrainContext grainContext, Func<TState, CancellationToken, Task> callback, TState state, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(grainContext);
        ArgumentNullException.ThrowIfNull(callback);
        GrainTimer.Validate(options.DueTime, options.Period);
        if (grainContext is not ActivationData activation)
        {
            throw new ArgumentException($"'{grainContext.GetType().FullName}' is not an activation of this silo; timers need the grain's own context.", nameof(grainContext));
        }

        var timer = new GrainTimer<TState>(activation, callback, state, options.Interleave, options.KeepAlive);
        try
        {
            activation.AddTimer(timer);
        }
        catch
        {
            timer.DisposeWithActivation();
            throw;
        }

        timer.Change(options.DueTime, options.Period);
        return timer;
    }
}
