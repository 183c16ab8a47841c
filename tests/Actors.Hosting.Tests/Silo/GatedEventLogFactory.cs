using Actors.Persistence.Wal;
using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Hosting.Tests.Silo;

/// <summary>
/// Opens the real file log, but only once <see cref="Release"/> is called (so a test can observe the silo while
/// "recovery" runs), and wraps it in a <see cref="FailableEventLog"/> so a test can inject a log failure.
/// </summary>
internal sealed class GatedEventLogFactory(bool startReleased) : IEventLogFactory
{
    private readonly FileEventLogFactory _inner = new();
    private readonly TaskCompletionSource _release = NewSource(startReleased);
    private readonly TaskCompletionSource _opening = NewSource(completed: false);
    private readonly TaskCompletionSource<FailableEventLog> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the store started opening its log.</summary>
    public Task Opening => _opening.Task;

    /// <summary>Completes with the opened log.</summary>
    public Task<FailableEventLog> Opened => _opened.Task;

    public void Release() => _release.TrySetResult();

    public async ValueTask<IEventLog> OpenAsync(string storeName, WriteAheadLogOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        _opening.TrySetResult();
        await _release.Task.WaitAsync(cancellationToken);
        var log = new FailableEventLog(await _inner.OpenAsync(storeName, options, loggerFactory, cancellationToken));
        _opened.TrySetResult(log);
        return log;
    }

    public ValueTask AbandonAsync(IEventLog log) => _inner.AbandonAsync(log is FailableEventLog failable ? failable.Inner : log);

    private static TaskCompletionSource NewSource(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }
}
