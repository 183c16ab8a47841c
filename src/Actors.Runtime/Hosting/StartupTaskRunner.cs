using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Hosting;

/// <summary>
/// Runs the silo's startup tasks once every hosted service has started (the runtime, storage, reminders, the gateway),
/// in stage order; a failing task fails the host's start with the task's exception.
/// </summary>
internal sealed partial class StartupTaskRunner(IServiceProvider services, IEnumerable<StartupTaskRegistration> registrations, ILogger<StartupTaskRunner>? logger = null)
    : IHostedLifecycleService
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs the tasks; sequential, ascending stage, registration order within a stage.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (StartupTaskRegistration task in registrations.Select((r, i) => (r, i)).OrderBy(x => x.r.Stage).ThenBy(x => x.i).Select(x => x.r))
        {
            try
            {
                await task.Run(services, cancellationToken);
            }
            catch (Exception ex)
            {
                LogStartupTaskFailed(_logger, ex, task.Name, task.Stage);
                throw;
            }

            LogStartupTaskCompleted(_logger, task.Name, task.Stage);
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Startup task {Task} (stage {Stage}) completed")]
    private static partial void LogStartupTaskCompleted(ILogger logger, string task, int stage);

    [LoggerMessage(EventId = 131, Level = LogLevel.Error, Message = "Startup task {Task} (stage {Stage}) failed; the silo does not start")]
    private static partial void LogStartupTaskFailed(ILogger logger, Exception exception, string task, int stage);
}
