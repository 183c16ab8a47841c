using System.Globalization;
using Actors.Orleans;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Actors.Replication.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>
/// TestingHost clusters with <c>AddWriteAheadLogReplication</c>: every silo keeps its log under one root, a directory per
/// silo name, and the cluster's rows in the given PostgreSQL database under a fixed ClusterId, so a cluster started again
/// on the same root and ClusterId finds what the previous one stored.
/// </summary>
public static class ReplicatedTestCluster
{
    /// <param name="adoNetMembership">Orleans's ADO.NET membership in the same database (tables from
    /// <see cref="OrleansMembershipSchema"/>) instead of TestingHost's own.</param>
    /// <param name="loopbackMessaging">The replicas talk through the in-process <see cref="LoopbackReplicaMessaging"/> (links
    /// can be cut); false: through the transport <c>AddWriteAheadLogReplication</c> registers (Orleans messaging).</param>
    /// <param name="tcpTransport">Real loopback sockets between the silos and to the client's gateway instead of
    /// TestingHost's default in-memory transport.</param>
    /// <param name="replaceAbsentAfter">The silos' <see cref="ReplicaReplacementOptions.AbsentFor"/> (passes every 200 ms);
    /// null: the defaults.</param>
    /// <param name="balanceInterval">The silos' <see cref="ReplicaBalanceOptions.Interval"/>; null: the default.</param>
    /// <param name="checkpointEveryEntries">The replicas' <see cref="ReplicaOptions.CheckpointEveryEntries"/> (each replica's
    /// entry log then holds a checkpoint after that many applied entries); null: the default.</param>
    public static Task<TestCluster> StartAsync(string root, string connectionString, string clusterId, short silos, int partitionCount, bool adoNetMembership = false, int replicationFactor = 1, bool loopbackMessaging = true, bool tcpTransport = false, TimeSpan? replaceAbsentAfter = null, TimeSpan? balanceInterval = null, long? checkpointEveryEntries = null)
    {
        var builder = new TestClusterBuilder(silos);
        if (checkpointEveryEntries is { } everyEntries)
        {
            builder.Properties["CheckpointEveryEntries"] = everyEntries.ToString(CultureInfo.InvariantCulture);
        }

        if (balanceInterval is { } interval)
        {
            builder.Properties["BalanceIntervalMs"] = ((int)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }

        if (replaceAbsentAfter is { } absentFor)
        {
            builder.Properties["ReplaceAbsentAfterMs"] = ((int)absentFor.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }

        if (tcpTransport)
        {
            builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        }

        if (adoNetMembership)
        {
            builder.Options.UseTestClusterMembership = false;
            builder.Properties["AdoNetMembership"] = "true";
            builder.AddClientBuilderConfigurator<ClientConfigurator>();
        }

        builder.Options.ClusterId = clusterId;
        builder.Options.ServiceId = clusterId;
        builder.Properties["WalRoot"] = root;
        builder.Properties["Pg"] = connectionString;
        builder.Properties["Partitions"] = partitionCount.ToString(CultureInfo.InvariantCulture);
        builder.Properties["ReplicationFactor"] = replicationFactor.ToString(CultureInfo.InvariantCulture);
        builder.Properties["LoopbackMessaging"] = loopbackMessaging ? "true" : "false";
        builder.AddSiloBuilderConfigurator<Configurator>();
        return AsyncDisposableStart.StartAsync(builder.Build(), cluster => cluster.DeployAsync());
    }

    /// <summary>
    /// Kills <paramref name="others"/> (silos started outside the cluster's list), the secondary silos and the primary: the
    /// end of a test whose checks are done. The cluster's disposal would stop them gracefully, one after the other, each
    /// handing its leaderships over first, the last one for seconds (<c>LeadershipHandOver.HandOverTimeout</c>) with no
    /// follower left to take them: CPU spent on a stop that is no part of what the test checks (the stop tests check it).
    /// </summary>
    public static async Task KillAllAsync(TestCluster cluster, params SiloHandle[] others)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        foreach (SiloHandle silo in others.Concat(cluster.SecondarySilos))
        {
            await cluster.KillSiloAsync(silo);
        }

        if (cluster.Primary is { } primary)
        {
            await cluster.KillSiloAsync(primary);
        }
    }

    /// <summary>The services of an in-process silo.</summary>
    internal static IServiceProvider Services(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services;

    /// <summary>The partition replicas an in-process silo runs, for assertions.</summary>
    internal static SiloReplicas Replicas(SiloHandle silo) =>
        Services(silo).GetRequiredService<SiloReplicas>();

    /// <summary>The activations an in-process silo tracks by partition.</summary>
    internal static PartitionActivations Activations(SiloHandle silo) =>
        Services(silo).GetRequiredService<PartitionActivations>();

    /// <summary>The replica number of an in-process silo.</summary>
    internal static int ReplicaId(SiloHandle silo) =>
        Services(silo).GetRequiredService<ClusterReplica>().Id;

    /// <summary>The partition view of an in-process silo (its cached rows), for assertions.</summary>
    internal static PartitionedGrainLogResolver Resolver(SiloHandle silo) =>
        Services(silo).GetRequiredService<PartitionedGrainLogResolver>();

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = configuration["Pg"];
            });
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            string root = siloBuilder.Configuration["WalRoot"] ?? throw new InvalidOperationException("WalRoot is not set");
            string pg = siloBuilder.Configuration["Pg"] ?? throw new InvalidOperationException("Pg is not set");
            int partitions = int.Parse(siloBuilder.Configuration["Partitions"] ?? "64", CultureInfo.InvariantCulture);
            int factor = int.Parse(siloBuilder.Configuration["ReplicationFactor"] ?? "1", CultureInfo.InvariantCulture);
            siloBuilder
                .AddWriteAheadLog((SiloLogOptions _) => { })
                .AddWriteAheadLogReplication(o =>
                {
                    o.ConnectionString = pg;
                    o.PartitionCount = partitions;
                    o.ReplicationFactor = factor;
                })
                .AddWriteAheadLogGrainStorageAsDefault()
                .AddWriteAheadLogLogConsistencyProviderAsDefault();
            if (siloBuilder.Configuration["AdoNetMembership"] == "true")
            {
                siloBuilder.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = pg;
                });
            }

            if (siloBuilder.Configuration["ReplaceAbsentAfterMs"] is { } absentMs)
            {
                siloBuilder.Services.Configure<ReplicaReplacementOptions>(o =>
                {
                    o.AbsentFor = TimeSpan.FromMilliseconds(int.Parse(absentMs, CultureInfo.InvariantCulture));
                    o.Interval = TimeSpan.FromMilliseconds(200);
                });
            }

            if (siloBuilder.Configuration["BalanceIntervalMs"] is { } balanceMs)
            {
                siloBuilder.Services.Configure<ReplicaBalanceOptions>(o => o.Interval = TimeSpan.FromMilliseconds(int.Parse(balanceMs, CultureInfo.InvariantCulture)));
            }

            if (siloBuilder.Configuration["CheckpointEveryEntries"] is { } everyEntries)
            {
                siloBuilder.Services.Configure<ReplicaOptions>(o => o.CheckpointEveryEntries = long.Parse(everyEntries, CultureInfo.InvariantCulture));
            }

            siloBuilder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloStopHook>();
            if (siloBuilder.Configuration["LoopbackMessaging"] != "false")
            {
                siloBuilder.Services.AddSingleton<IReplicaMessaging, LoopbackReplicaMessaging>();
            }
            if (Environment.GetEnvironmentVariable("REPL_TEST_LOG") is { } logPath)
            {
                string name = siloBuilder.Configuration["Orleans:Name"] ?? siloBuilder.Configuration["SiloName"] ?? Guid.NewGuid().ToString("N")[..6];
                siloBuilder.Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(new DebugFileLoggerProvider(logPath, name));
            }

            siloBuilder.Services.AddOptions<SiloLogOptions>().Configure<IOptions<SiloOptions>>((log, silo) => log.Directory = Path.Combine(root, silo.Value.SiloName));
        }
    }
}
