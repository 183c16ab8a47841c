using System.Collections.Concurrent;
using Actors.Cluster.Hosting;
using Actors.Cluster.Messaging;
using Actors.Cluster.Replication;
using Actors.Replication;
using Actors.Replication.Tests.Hosting;
using Actors.Replication.Wal;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Cluster.Tests.Replication;

/// <summary>
/// Hosts replica rN of one partition on the N-th silo of a running test cluster: its messages leave through that silo's
/// own transport and arrive through the silo's <see cref="ClusterSilo.Replication"/> inbox, dispatched by the silo's
/// message handler (the path a replicated partition takes in production). Killing a replica unregisters it from its
/// silo's inbox; the silo keeps running.
/// </summary>
internal sealed class ClusterSiloReplicaNetwork(TestCluster cluster, int partition) : IReplicaNetwork
{
    private readonly ConcurrentDictionary<ReplicaId, ReplicaHost> _registered = new();

    public IReplicationTransport TransportFor(ReplicaId id)
        => new SiloReplicationTransport(SiloOf(id).Transport, partition, Resolve, NullLogger.Instance);

    public void Register(ReplicaHost host)
    {
        _registered[host.Id] = host;
        SiloOf(host.Id).Replication.Register(partition, host);
    }

    public Task UnregisterAsync(ReplicaId id)
    {
        if (_registered.TryRemove(id, out var host))
        {
            SiloOf(id).Replication.Unregister(partition, host);
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ClusterSilo SiloOf(ReplicaId id) => cluster.Silos[id.Value - 1].Services.GetRequiredService<ClusterSilo>();

    private SiloAddress? Resolve(ReplicaId id)
    {
        var silo = SiloOf(id);
        return new SiloAddress(silo.Identity.Name, silo.Identity.Incarnation, silo.Identity.Endpoint);
    }
}
