namespace Actors.Runtime;

/// <summary>
/// A timer owned by one grain activation (Orleans' <c>IGrainTimer</c>): its callbacks run as turns of that activation,
/// it never overlaps itself, and it ends when the activation deactivates. Created by
/// <see cref="GrainBaseExtensions.RegisterGrainTimer{TState}(IGrainBase, Func{TState, CancellationToken, Task}, TState, GrainTimerCreationOptions)"/>.
/// </summary>
/// <remarks>Thread-safe. Disposing cancels the token passed to a running callback and stops further callbacks.</remarks>
public interface IGrainTimer : IDisposable
{
    /// <summary>
    /// Reschedules the timer: the next callback runs <paramref name="dueTime"/> from now (or, when called from inside a
    /// running callback, from that callback's completion), later ones <paramref name="period"/> after each callback
    /// completes.
    /// </summary>
    /// <param name="dueTime">Delay before the next callback; <see cref="Timeout.InfiniteTimeSpan"/> pauses the timer.</param>
    /// <param name="period">Delay after each callback completes; <see cref="Timeout.InfiniteTimeSpan"/> means one callback only.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative (other than infinite) or above 4,294,967,294 ms.</exception>
    void Change(TimeSpan dueTime, TimeSpan period);
}
