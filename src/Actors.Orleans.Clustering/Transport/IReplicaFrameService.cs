using Orleans;
using Orleans.Concurrency;
using Orleans.Services;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>
/// The replication transport's endpoint on every silo: an Orleans grain service (one system target per silo, addressed by
/// the silo's <c>SiloAddress</c>), reached over Orleans's own silo-to-silo links.
/// </summary>
[Alias("Actors.Orleans.Clustering.Transport.IReplicaFrameService")]
internal interface IReplicaFrameService : IGrainService
{
    /// <summary>Receives one frame (<see cref="ReplicationFrameCodec"/>); fire and forget.</summary>
    /// <remarks>Received by <see cref="ReplicaFrameService"/>'s call filter, which sees the caller: only a call from the
    /// transport of an active silo of this cluster is handed on.</remarks>
    [OneWay]
    [Alias("Receive")]
    Task Receive(byte[] frame);
}
