using Actors.Invocation;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.TestingHost;

/// <summary>
/// The in-process client's observers: each object is registered as a local object of the silo running now (its calls
/// run in that silo's runtime, which is in this process), so grains can call it back. An object registered in a silo
/// that then stopped is gone with it: register it again after a restart.
/// </summary>
internal sealed class RunningSiloObjectRegistry(TestCluster cluster) : IObjectReferenceRegistry
{
    public GrainId Register(Type interfaceType, IGrainObserver observer) => SiloObjects().Register(interfaceType, observer);

    public bool Unregister(IGrainObserver observer) => cluster.Silos
        .Where(s => s.IsRunning)
        .Aggregate(false, (found, silo) => silo.Services.GetRequiredService<IObjectReferenceRegistry>().Unregister(observer) | found);

    private IObjectReferenceRegistry SiloObjects() => (cluster.Silos.FirstOrDefault(s => s.IsRunning)
        ?? throw new SiloUnavailableException("No silo of the test cluster is running.")).Services.GetRequiredService<IObjectReferenceRegistry>();
}
