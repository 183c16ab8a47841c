namespace Actors.Timers;

/// <summary>
/// The method a timer tick presents itself as (Orleans does the same): the work item of a tick names
/// <see cref="InvokeCallbackAsync"/> so that logs, metrics and call filters see a grain method. Never called through a reference.
/// </summary>
internal interface IGrainTimerInvoker : IGrain
{
    /// <summary>Runs the timer's callback.</summary>
    Task InvokeCallbackAsync();
}
