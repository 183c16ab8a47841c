using Orleans.Runtime;
using Orleans.Runtime.Services;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>References to the <see cref="IReplicaFrameService"/> of a given silo.</summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ReplicaFrameServiceClient(IServiceProvider services) : GrainServiceClient<IReplicaFrameService>(services)
{
    /// <summary>The transport endpoint of <paramref name="silo"/> (a reference: nothing is sent).</summary>
    public IReplicaFrameService On(SiloAddress silo) => GetGrainService(silo);
}
