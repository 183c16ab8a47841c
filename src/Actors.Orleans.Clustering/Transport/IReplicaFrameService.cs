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
    /// <remarks>
    /// <para>Received by <see cref="ReplicaFrameService"/>'s call filter, which sees the caller: only a call from the
    /// transport of an active silo of this cluster is handed on.</para>
    /// <para>Ownership: <paramref name="frame"/> is <see cref="ImmutableAttribute">[Immutable]</see>, so Orleans does not
    /// copy it when the call is made but serializes the caller's array itself, later, on its connection's thread: from the
    /// call on, nobody writes the array nor returns it to a pool (<see cref="OrleansReplicaMessaging.SendFrame"/>). On the
    /// receiving silo the array Orleans deserialized is the frame's own, and the payloads decoded from it are slices of it.</para>
    /// </remarks>
    [OneWay]
    [Alias("Receive")]
    Task Receive([Immutable] byte[] frame);
}
