using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal;

/// <summary>
/// Opens the <see cref="IEventLog"/> behind a write-ahead-log store. The default opens the file-backed
/// <c>WriteAheadLog</c>; tests register their own to use an in-memory or fault-injecting log.
/// </summary>
public interface IEventLogFactory
{
    /// <summary>Opens the log of store <paramref name="storeName"/>.</summary>
    /// <param name="storeName">The store's name.</param>
    /// <param name="options">The engine options derived from the store's options.</param>
    /// <param name="loggerFactory">The silo's logger factory.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    ValueTask<IEventLog> OpenAsync(string storeName, WriteAheadLogOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken);

    /// <summary>
    /// Simulates a crash of <paramref name="log"/>: nothing further is written or fsynced and its resources
    /// (the directory lock) are released. Used when a test cluster kills a silo.
    /// </summary>
    ValueTask AbandonAsync(IEventLog log);
}
