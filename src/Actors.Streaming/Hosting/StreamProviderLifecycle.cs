using Actors.Hosting;
using Microsoft.Extensions.Hosting;

namespace Actors.Streams.Hosting;

/// <summary>Starts a stream provider with the silo (resuming delivery), stops it before grains deactivate, abandons it on a kill.</summary>
internal sealed class StreamProviderLifecycle(StreamProvider provider) : IHostedService, ISiloAbruptStopParticipant
{
    public Task StartAsync(CancellationToken cancellationToken) => provider.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => provider.StopAsync();

    public ValueTask AbandonAsync()
    {
        provider.Abandon();
        return ValueTask.CompletedTask;
    }
}
