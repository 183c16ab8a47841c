using Actors.Invocation;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.TestingHost;

/// <summary>
/// Sends the in-process client's calls to a running silo (so the client survives restarts). With several silos the
/// calls rotate over the running ones, as a client's calls spread over gateways.
/// </summary>
internal sealed class ClusterClientInvoker(TestCluster cluster) : IGrainCallInvoker
{
    private int _next;

    public ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default)
    {
        SiloHandle[] running = cluster.Silos.Where(s => s.IsRunning).ToArray();
        if (running.Length == 0)
        {
            throw new SiloUnavailableException("No silo of the test cluster is running.");
        }

        SiloHandle silo = running[(int)((uint)Interlocked.Increment(ref _next) % (uint)running.Length)];
        return silo.Services.GetRequiredService<IGrainCallInvoker>().InvokeAsync(request, cancellationToken);
    }
}
