using Actors.Replication;
using Actors.Replication.Messages;
using Actors.Replication.Wal;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>The transport one partition's replica on this silo sends through (<see cref="OrleansReplicaMessaging.For"/>).</summary>
/// <remarks>Thread-safe; never blocks and never throws for an unreachable peer (see <see cref="IReplicationTransport"/>).</remarks>
internal sealed class PartitionTransport(OrleansReplicaMessaging messaging, int partition) : IReplicationTransport
{
    /// <summary>The partition.</summary>
    public int Partition => partition;

    /// <inheritdoc />
    public void Send(ReplicaId from, ReplicaId to, ReplicationMessage message) => messaging.Send(partition, from, to, message);
}
