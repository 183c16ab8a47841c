using Actors.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.Persistence.Wal.Hosting;

/// <summary>
/// Opens every write-ahead-log store when the host starts (so a locked, corrupted or unreadable log fails silo start
/// instead of the first activation) and abandons them when the silo is killed. A graceful stop closes (flushes) the
/// logs when the service provider disposes the stores, after every grain has deactivated.
/// </summary>
internal sealed class WriteAheadLogLifecycle(IServiceProvider services) : IHostedService, ISiloAbruptStopParticipant
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (WriteAheadLogStore store in Stores())
        {
            await store.StartAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask AbandonAsync()
    {
        foreach (WriteAheadLogStore store in Stores())
        {
            await store.AbandonAsync();
        }
    }

    private IReadOnlyList<WriteAheadLogStore> Stores() => WriteAheadLogStores.GetAll(services);
}
