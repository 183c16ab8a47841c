using Actors.Persistence.Wal;
using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Storage;

/// <summary>
/// The <see cref="IEventLogFactory"/> of a cluster silo: a write-ahead-log store gets a <see cref="PartitionedEventLog"/>
/// (one log per served partition, opened and closed as ownership moves) instead of one log for the whole store.
/// </summary>
internal sealed class PartitionedEventLogFactory(PartitionLogHost host) : IEventLogFactory
{
    /// <inheritdoc />
    public async ValueTask<IEventLog> OpenAsync(string storeName, WriteAheadLogOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
        => await host.RegisterAsync(storeName, options, cancellationToken);

    /// <inheritdoc />
    public async ValueTask AbandonAsync(IEventLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        await host.AbandonAllAsync();
    }
}
