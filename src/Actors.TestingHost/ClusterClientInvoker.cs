using Actors.Invocation;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.TestingHost;

/// <summary>Sends the cluster client's calls to whichever silo is running now (so the client survives restarts).</summary>
internal sealed class ClusterClientInvoker(TestCluster cluster) : IGrainCallInvoker
{
    public ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default)
    {
        SiloHandle silo = cluster.Silos.FirstOrDefault(s => s.IsRunning)
            ?? throw new SiloUnavailableException("No silo of the test cluster is running.");
        return silo.Services.GetRequiredService<IGrainCallInvoker>().InvokeAsync(request, cancellationToken);
    }
}
