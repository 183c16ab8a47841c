using Microsoft.Extensions.Logging;

namespace Actors.Orleans.Clustering.Tests.Support;

internal sealed class DebugFileLoggerProvider(string path, string silo) : ILoggerProvider
{
    private static readonly object Gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(path, silo, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(string path, string silo, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => category.StartsWith("Actors", StringComparison.Ordinal) ? logLevel >= LogLevel.Information : logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            lock (Gate)
            {
                File.AppendAllText(path, $"{DateTime.UtcNow:HH:mm:ss.fff} {silo} {logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}\n");
            }
        }
    }
}
