using Actors.Orleans;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Services;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Transport;

/// <summary>
/// TestingHost silos (in-process, connected by TCP on loopback) with <c>AddWriteAheadLogReplication</c> and the replication transport over Orleans
/// messaging, each silo's log under one root, the cluster's rows in the given PostgreSQL.
/// </summary>
internal static class TransportTestCluster
{
    public static async Task<TestCluster> StartAsync(string root, string connectionString, string clusterId, short silos)
    {
        var builder = new TestClusterBuilder(silos);
        // Real loopback sockets between the silos and to the client's gateway (TestingHost's default is an in-memory transport).
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Options.ClusterId = clusterId;
        builder.Options.ServiceId = clusterId;
        builder.Properties["WalRoot"] = root;
        builder.Properties["Pg"] = connectionString;
        builder.AddSiloBuilderConfigurator<Configurator>();
        TestCluster cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public static OrleansReplicaMessaging Messaging(SiloHandle silo) => Services(silo).GetRequiredService<OrleansReplicaMessaging>();

    public static int ReplicaId(SiloHandle silo) => Services(silo).GetRequiredService<ClusterReplica>().Id;

    /// <summary>The grain id of the silo's transport endpoint (its system target).</summary>
    public static GrainId EndpointId(SiloHandle silo) => Services(silo).GetServices<IGrainService>().OfType<ReplicaFrameService>().Single().GrainId;

    private static IServiceProvider Services(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services;

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            string root = siloBuilder.Configuration["WalRoot"] ?? throw new InvalidOperationException("WalRoot is not set");
            string pg = siloBuilder.Configuration["Pg"] ?? throw new InvalidOperationException("Pg is not set");
            siloBuilder
                .AddWriteAheadLog((SiloLogOptions _) => { })
                .AddWriteAheadLogReplication(o =>
                {
                    o.ConnectionString = pg;
                    o.PartitionCount = 8;
                });
            siloBuilder.Services.AddOrleansReplicaMessaging();
            siloBuilder.Services.AddOptions<SiloLogOptions>().Configure<IOptions<SiloOptions>>((log, silo) => log.Directory = Path.Combine(root, silo.Value.SiloName));
        }
    }
}
