using System.Diagnostics.CodeAnalysis;

namespace Actors.Runtime;

/// <summary>How a grain timer is scheduled and how its callbacks are admitted (Orleans' <c>GrainTimerCreationOptions</c>).</summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="DueTime"/>: delay before the first callback; zero runs it at once, <see cref="Timeout.InfiniteTimeSpan"/> leaves the timer paused until <see cref="IGrainTimer.Change"/>.</item>
/// <item><see cref="Period"/>: delay measured from the <em>completion</em> of one callback to the start of the next (callbacks never overlap); <see cref="Timeout.InfiniteTimeSpan"/> makes a one-shot timer.</item>
/// <item><see cref="Interleave"/> (default false): false applies the grain's reentrancy rules, so a non-reentrant grain runs the callback only when no request is running; true lets the callback start while requests await (turns still never run in parallel).</item>
/// <item><see cref="KeepAlive"/> (default false): whether a callback counts as activity that delays idle collection.</item>
/// </list>
/// </remarks>
public readonly struct GrainTimerCreationOptions()
{
    /// <summary>Creates options with the given schedule.</summary>
    [SetsRequiredMembers]
    public GrainTimerCreationOptions(TimeSpan dueTime, TimeSpan period)
        : this()
    {
        DueTime = dueTime;
        Period = period;
    }

    /// <summary>The delay before the first callback.</summary>
    public required TimeSpan DueTime { get; init; }

    /// <summary>The delay between the completion of one callback and the start of the next.</summary>
    public required TimeSpan Period { get; init; }

    /// <summary>Whether callbacks may interleave with requests awaiting on the activation.</summary>
    public bool Interleave { get; init; }

    /// <summary>Whether each callback delays idle collection of the activation.</summary>
    public bool KeepAlive { get; init; }
}
