using System.Collections.Concurrent;
using System.Net;
using Actors.Cluster.Messaging;
using Actors.Cluster.Replication;
using Actors.Replication;
using Actors.Replication.Tests.Hosting;
using Actors.Replication.Wal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Cluster.Tests.Replication;

/// <summary>
/// Connects hosted replicas through real silo transports on loopback TCP: one <see cref="SiloTransport"/> per replica
/// (a silo), whose handler passes the one-way <see cref="SiloMessageType.Replication"/> messages to its <see cref="ReplicationInbox"/>.
/// Killing a replica closes its silo's transport; restarting it opens a new one (new port, next incarnation).
/// </summary>
internal sealed class SiloReplicaNetwork(int partition) : IReplicaNetwork
{
    private readonly ConcurrentDictionary<ReplicaId, Silo> _silos = new();
    private int _nextIncarnation;

    public IReplicationTransport TransportFor(ReplicaId id)
    {
        var name = $"silo-{id.Value}";
        var identity = new LocalSiloIdentity("replication-tests", name, "secret") { Incarnation = Interlocked.Increment(ref _nextIncarnation) };
        var options = new ClusterOptions { BindAddress = IPAddress.Loopback.ToString(), Port = 0, HandshakeTimeout = TimeSpan.FromSeconds(10), FrameReceiveTimeout = TimeSpan.FromSeconds(10) };
        var transport = new SiloTransport(options, identity, NullLogger.Instance);
        var inbox = new ReplicationInbox();
        transport.StartListening(new Handler(inbox));
        _silos[id] = new Silo(transport, inbox, new SiloAddress(name, identity.Incarnation, identity.Endpoint));
        return new SiloReplicationTransport(transport, partition, Resolve, NullLogger.Instance);
    }

    public void Register(ReplicaHost host) => _silos[host.Id].Inbox.Register(partition, host);

    public async Task UnregisterAsync(ReplicaId id)
    {
        if (_silos.TryRemove(id, out var silo))
        {
            await silo.Transport.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _silos.Keys)
        {
            await UnregisterAsync(id);
        }
    }

    private SiloAddress? Resolve(ReplicaId id) => _silos.TryGetValue(id, out var silo) ? silo.Address : null;

    private sealed record Silo(SiloTransport Transport, ReplicationInbox Inbox, SiloAddress Address);

    private sealed class Handler(ReplicationInbox inbox) : ISiloMessageHandler
    {
        public Task<byte[]> HandleAsync(SiloAddress sender, SiloMessageType type, byte[] payload, CancellationToken cancellationToken)
            => throw new InvalidOperationException($"unexpected {type} request in a replication test");

        public void HandleOneWay(SiloAddress sender, SiloMessageType type, byte[] payload)
        {
            if (type != SiloMessageType.Replication)
            {
                throw new InvalidOperationException($"unexpected one-way {type} message in a replication test");
            }

            inbox.Deliver(payload);
        }
    }
}
