using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal.Tests.Support;

/// <summary>Hands out one <see cref="FaultyEventLog"/> over one <see cref="InMemoryEventLog"/>, surviving store restarts.</summary>
public sealed class SharedLogFactory : IEventLogFactory
{
    public FaultyEventLog Log { get; } = new(new InMemoryEventLog());

    public int Opens { get; private set; }

    public ValueTask<IEventLog> OpenAsync(string storeName, WriteAheadLogOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        Opens++;
        return ValueTask.FromResult<IEventLog>(Log);
    }

    public ValueTask AbandonAsync(IEventLog log) => ValueTask.CompletedTask;

    public WriteAheadLogStore CreateStore(Action<WriteAheadLogStoreOptions>? configure = null)
    {
        var options = new WriteAheadLogStoreOptions { Directory = "/in-memory" };
        configure?.Invoke(options);
        return new WriteAheadLogStore("test", options, this);
    }
}
