using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Actors.Hosting.Tests.Gateway;

/// <summary>Collects formatted log messages so tests can await a logged reason.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly object _signal = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<string> Messages => _messages;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    /// <summary>Waits until a message containing all <paramref name="fragments"/> was logged.</summary>
    public async Task<string> WaitForAsync(params string[] fragments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            Task changed;
            lock (_signal)
            {
                changed = _changed.Task;
            }

            string? hit = _messages.FirstOrDefault(m => fragments.All(f => m.Contains(f, StringComparison.Ordinal)));
            if (hit is not null)
            {
                return hit;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"No log message containing [{string.Join(" | ", fragments)}] within 15 s. Logged:\n{string.Join('\n', _messages)}");
            }
        }
    }

    private void Add(string message)
    {
        _messages.Enqueue(message);
        TaskCompletionSource previous;
        lock (_signal)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
