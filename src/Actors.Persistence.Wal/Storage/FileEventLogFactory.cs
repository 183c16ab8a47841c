using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal;

/// <summary>The default <see cref="IEventLogFactory"/>: opens the file-backed <see cref="WriteAheadLog"/>.</summary>
public sealed class FileEventLogFactory : IEventLogFactory
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the factory; the logs use <paramref name="timeProvider"/> (the system clock when null).</summary>
    public FileEventLogFactory(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask<IEventLog> OpenAsync(string storeName, WriteAheadLogOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        await WriteAheadLog.OpenAsync(options, loggerFactory, _timeProvider, cancellationToken);

    /// <inheritdoc />
    public ValueTask AbandonAsync(IEventLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return log is WriteAheadLog file ? file.AbandonAsync() : log.DisposeAsync();
    }
}
