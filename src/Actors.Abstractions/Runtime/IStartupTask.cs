namespace Actors.Runtime;

/// <summary>
/// Work a silo runs once when it starts, after the runtime, storage, reminders and the gateway are up, so it may call
/// grains (Orleans' <c>IStartupTask</c>). Register it with <c>AddStartupTask</c>.
/// </summary>
public interface IStartupTask
{
    /// <summary>Runs the task. An exception fails the silo's start.</summary>
    /// <param name="cancellationToken">Cancelled when the host gives up starting.</param>
    Task Execute(CancellationToken cancellationToken);
}
