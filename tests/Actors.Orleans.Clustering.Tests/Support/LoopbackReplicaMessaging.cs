using System.Buffers;
using System.Collections.Concurrent;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Actors.Replication;
using Actors.Replication.Messages;
using Actors.Replication.Wal;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>
/// Replica messaging between the in-process silos of a TestingHost cluster: a process-wide registry of every silo's
/// messaging by (ClusterId, replica number); each message is encoded with <see cref="ReplicationMessageCodec"/> and
/// decoded on the receiving side (on the thread pool), as a network transport would. A test can cut links with
/// <see cref="Cut"/>.
/// </summary>
internal sealed class LoopbackReplicaMessaging(ClusterReplica replica, IOptions<ClusterOptions> cluster) : IReplicaMessaging
{
    private static readonly ConcurrentDictionary<(string Cluster, int Replica), LoopbackReplicaMessaging> Silos = new();
    private static readonly ConcurrentDictionary<string, Func<int, int, int, bool>> Cuts = new();
    private readonly ConcurrentDictionary<int, Action<ReplicationMessage>> _partitions = new();
    private readonly string _clusterId = cluster.Value.ClusterId;

    /// <summary>Drops every message of cluster <paramref name="clusterId"/> for which <paramref name="drop"/>(from replica, to replica, partition) is true; null heals.</summary>
    public static void Cut(string clusterId, Func<int, int, int, bool>? drop)
    {
        if (drop is null)
        {
            Cuts.TryRemove(clusterId, out _);
        }
        else
        {
            Cuts[clusterId] = drop;
        }
    }

    public IReplicationTransport For(int partition) => new Transport(this, partition);

    public void Register(int partition, Action<ReplicationMessage> deliver)
    {
        Silos[(_clusterId, replica.Id)] = this;
        if (!_partitions.TryAdd(partition, deliver))
        {
            throw new InvalidOperationException($"A replica of partition {partition} is registered already.");
        }
    }

    public void Unregister(int partition) => _partitions.TryRemove(partition, out _);

    /// <summary>Whether a replica of <paramref name="partition"/> is registered with this silo's messaging.</summary>
    public bool IsRegistered(int partition) => _partitions.ContainsKey(partition);

    private void Send(int partition, ReplicaId from, ReplicaId to, ReplicationMessage message)
    {
        if ((Cuts.TryGetValue(_clusterId, out var drop) && drop(from.Value, to.Value, partition))
            || !Silos.TryGetValue((_clusterId, to.Value), out LoopbackReplicaMessaging? target))
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(ReplicationMessageCodec.GetByteCount(message));
        ReplicationMessageCodec.Write(message, buffer);
        byte[] frame = buffer.WrittenSpan.ToArray();
        ThreadPool.UnsafeQueueUserWorkItem(
            static state =>
            {
                (LoopbackReplicaMessaging target, int partition, byte[] frame) = state;
                if (target._partitions.TryGetValue(partition, out Action<ReplicationMessage>? deliver))
                {
                    deliver(ReplicationMessageCodec.Read(frame));
                }
            },
            (target, partition, frame),
            preferLocal: false);
    }

    private sealed class Transport(LoopbackReplicaMessaging owner, int partition) : IReplicationTransport
    {
        public void Send(ReplicaId from, ReplicaId to, ReplicationMessage message) => owner.Send(partition, from, to, message);
    }
}
