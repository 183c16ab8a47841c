using Actors.Orleans.Clustering.Tests.Support;
using Actors.Orleans.Clustering.Transport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Services;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Transport;

/// <summary>
/// TestingHost silos (in-process, connected by TCP on loopback) with <c>AddWriteAheadLogReplication</c> and the replication
/// transport over Orleans messaging (<see cref="ReplicatedTestCluster"/> with real sockets and no loopback messaging), each
/// silo's log under one root, the cluster's rows in the given PostgreSQL.
/// </summary>
internal static class TransportTestCluster
{
    public static Task<TestCluster> StartAsync(string root, string connectionString, string clusterId, short silos) =>
        ReplicatedTestCluster.StartAsync(root, connectionString, clusterId, silos, partitionCount: 8, loopbackMessaging: false, tcpTransport: true);

    public static OrleansReplicaMessaging Messaging(SiloHandle silo) => ReplicatedTestCluster.Services(silo).GetRequiredService<OrleansReplicaMessaging>();

    public static int ReplicaId(SiloHandle silo) => ReplicatedTestCluster.ReplicaId(silo);

    /// <summary>The grain id of the silo's transport endpoint (its system target).</summary>
    public static GrainId EndpointId(SiloHandle silo) => ReplicatedTestCluster.Services(silo).GetServices<IGrainService>().OfType<ReplicaFrameService>().Single().GrainId;
}
