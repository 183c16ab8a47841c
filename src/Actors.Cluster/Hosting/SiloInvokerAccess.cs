using Actors.Invocation;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Cluster.Hosting;

/// <summary>
/// How the cluster layer reaches its silo's grain call invoker. The silo's services are disposed while its transport
/// may still read requests from peers (disposal marks the container disposed before the transport drains): a call that
/// arrives then must be refused before it runs, as a stopping silo refuses, so the sender routes it again. It must
/// never reach the caller as a framework <see cref="ObjectDisposedException"/> that reads like the grain's own failure.
/// </summary>
internal sealed class SiloInvokerAccess(IServiceProvider services, string siloName)
{
    /// <summary>The silo's invoker.</summary>
    /// <exception cref="SiloUnavailableException">The silo's services are disposed: the silo is stopping.</exception>
    public IGrainCallInvoker Get()
    {
        try
        {
            return services.GetRequiredService<IGrainCallInvoker>();
        }
        catch (ObjectDisposedException)
        {
            throw new SiloUnavailableException($"Silo '{siloName}' is stopping (its services are disposed); the call was refused before it ran.");
        }
    }
}
