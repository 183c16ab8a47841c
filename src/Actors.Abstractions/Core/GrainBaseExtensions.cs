using Actors.Runtime;
using Actors.Timers;
using Microsoft.Extensions.DependencyInjection;

namespace Actors;

/// <summary>
/// Timers and deactivation for any grain, <see cref="Grain"/> subclasses and POCO grains alike (Orleans'
/// <c>GrainBaseExtensions</c>). Call them as <c>this.RegisterGrainTimer(...)</c> from grain code.
/// </summary>
public static class GrainBaseExtensions
{
    /// <summary>Deactivates the grain's activation once no request runs or waits.</summary>
    public static void DeactivateOnIdle(this IGrainBase grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        grain.GrainContext.DeactivateOnIdle(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));
    }

    /// <summary>
    /// Creates a timer owned by the grain's activation. Each callback runs as a turn of the activation (see
    /// <see cref="GrainTimerCreationOptions"/> for scheduling, interleaving and keep-alive); the timer ends when it is
    /// disposed or the activation deactivates, which also cancels the callback's token.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The due time or period is negative (other than infinite) or too large.</exception>
    public static IGrainTimer RegisterGrainTimer<TState>(this IGrainBase grain, Func<TState, CancellationToken, Task> callback, TState state, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentNullException.ThrowIfNull(callback);
        IGrainContext context = grain.GrainContext;
        return context.ActivationServices.GetRequiredService<ITimerRegistry>().RegisterGrainTimer(context, callback, state, options);
    }

    /// <inheritdoc cref="RegisterGrainTimer{TState}(IGrainBase, Func{TState, CancellationToken, Task}, TState, GrainTimerCreationOptions)"/>
    public static IGrainTimer RegisterGrainTimer(this IGrainBase grain, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return grain.RegisterGrainTimer(static (cb, token) => cb(token), callback, options);
    }

    /// <inheritdoc cref="RegisterGrainTimer{TState}(IGrainBase, Func{TState, CancellationToken, Task}, TState, GrainTimerCreationOptions)"/>
    public static IGrainTimer RegisterGrainTimer(this IGrainBase grain, Func<Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return grain.RegisterGrainTimer(static (cb, _) => cb(), callback, options);
    }

    /// <inheritdoc cref="RegisterGrainTimer{TState}(IGrainBase, Func{TState, CancellationToken, Task}, TState, GrainTimerCreationOptions)"/>
    public static IGrainTimer RegisterGrainTimer<TState>(this IGrainBase grain, Func<TState, Task> callback, TState state, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return grain.RegisterGrainTimer(static (s, _) => s.Callback(s.State), (Callback: callback, State: state), options);
    }

    /// <inheritdoc cref="RegisterGrainTimer{TState}(IGrainBase, Func{TState, CancellationToken, Task}, TState, GrainTimerCreationOptions)"/>
    public static IGrainTimer RegisterGrainTimer(this IGrainBase grain, Func<Task> callback, TimeSpan dueTime, TimeSpan period)
        => grain.RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, period));

    /// <inheritdoc cref="RegisterGrainTimer{TState}(IGrainBase, Func{TState, CancellationToken, Task}, TState, GrainTimerCreationOptions)"/>
    public static IGrainTimer RegisterGrainTimer(this IGrainBase grain, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
        => grain.RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, period));

    /// <inheritdoc cref="RegisterGrainTimer{TState}(IGrainBase, Func{TState, CancellationToken, Task}, TState, GrainTimerCreationOptions)"/>
    public static IGrainTimer RegisterGrainTimer<TState>(this IGrainBase grain, Func<TState, Task> callback, TState state, TimeSpan dueTime, TimeSpan period)
        => grain.RegisterGrainTimer(callback, state, new GrainTimerCreationOptions(dueTime, period));

    /// <inheritdoc cref="RegisterGrainTimer{TState}(IGrainBase, Func{TState, CancellationToken, Task}, TState, GrainTimerCreationOptions)"/>
    public static IGrainTimer RegisterGrainTimer<TState>(this IGrainBase grain, Func<TState, CancellationToken, Task> callback, TState state, TimeSpan dueTime, TimeSpan period)
        => grain.RegisterGrainTimer(callback, state, new GrainTimerCreationOptions(dueTime, period));
}
