using Actors.Runtime;
using Microsoft.Extensions.Hosting;

namespace Actors.Hosting;

/// <summary>Starts the grain runtime with the host and deactivates every grain when the host stops.</summary>
internal sealed class SiloHostedService(GrainRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        runtime.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
}
