using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal.Tests.Support;

/// <summary>Opens the real file log wrapped in a <see cref="FaultyEventLog"/> the test can switch to failing.</summary>
public sealed class FaultyFileLogFactory : IEventLogFactory
{
    private readonly FileEventLogFactory _files = new();

    public FaultyEventLog? Current { get; private set; }

    public async ValueTask<IEventLog> OpenAsync(string storeName, WriteAheadLogOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        IEventLog inner = await _files.OpenAsync(storeName, options, loggerFactory, cancellationToken);
        Current = new FaultyEventLog(inner, disposeInner: true);
        return Current;
    }

    public ValueTask AbandonAsync(IEventLog log) => _files.AbandonAsync(((FaultyEventLog)log).Inner);
}
