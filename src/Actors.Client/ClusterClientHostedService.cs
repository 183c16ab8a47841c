using Microsoft.Extensions.Hosting;

namespace Actors.Client;

/// <summary>Connects the client when the host starts (a silo that does not answer fails the start) and disconnects at stop.</summary>
internal sealed class ClusterClientHostedService(IClusterClient client) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => client.ConnectAsync(cancellationToken);

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await client.DisposeAsync();
}
