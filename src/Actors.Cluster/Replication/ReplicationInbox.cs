using System.Collections.Concurrent;
using Actors.Replication;
using Actors.Replication.Wal;

namespace Actors.Cluster.Replication;

/// <summary>
/// The receiving side of <see cref="SiloReplicationTransport"/>: the replicas this silo hosts (at most one per
/// partition), and the dispatch of the one-way <see cref="Messaging.SiloMessageType.Replication"/> messages to them.
/// </summary>
/// <remarks>Thread-safe. A message for a partition this silo does not host, or for another replica number than the one it
/// hosts (a sender with a stale map), is dropped: the protocol treats it as lost.</remarks>
internal sealed class ReplicationInbox
{
    private readonly ConcurrentDictionary<int, ReplicaHost> _hosts = new();

    /// <summary>Makes <paramref name="host"/> receive the messages of <paramref name="partition"/>.</summary>
    public void Register(int partition, ReplicaHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _hosts[partition] = host;
    }

    /// <summary>Stops delivering messages of <paramref name="partition"/> to <paramref name="host"/> (no-op if another host took its place).</summary>
    public void Unregister(int partition, ReplicaHost host) => _hosts.TryRemove(new KeyValuePair<int, ReplicaHost>(partition, host));

    /// <summary>Delivers one message payload to the replica it is addressed to (see the remarks for what is dropped).</summary>
    /// <exception cref="Actors.Replication.Messages.MalformedReplicationMessageException">The frame does not decode (the transport drops it and logs why).</exception>
    public void Deliver(byte[] payload)
    {
        var (partition, _, to, message) = ReplicationFrame.Read(payload);
        if (_hosts.TryGetValue(partition, out var host) && host.Id == to)
        {
            host.Deliver(message);
        }
    }
}
