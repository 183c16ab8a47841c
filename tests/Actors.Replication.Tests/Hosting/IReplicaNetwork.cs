using Actors.Replication.Wal;

namespace Actors.Replication.Tests.Hosting;

/// <summary>How <see cref="HostedReplicas"/> connects its replicas: in process (<see cref="LoopbackReplicationTransport"/>) or over a real transport.</summary>
internal interface IReplicaNetwork : IAsyncDisposable
{
    /// <summary>The transport replica <paramref name="id"/> sends through (called before its host is created).</summary>
    IReplicationTransport TransportFor(ReplicaId id);

    /// <summary>Starts delivering messages to <paramref name="host"/>.</summary>
    void Register(ReplicaHost host);

    /// <summary>Stops delivering messages to replica <paramref name="id"/> (it was killed).</summary>
    Task UnregisterAsync(ReplicaId id);
}
