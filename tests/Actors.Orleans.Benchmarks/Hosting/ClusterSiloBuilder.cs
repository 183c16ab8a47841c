using System.Net;
using System.Net.Sockets;
using Actors.Orleans.Clustering;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Actors.Replication.Options;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Actors.Orleans.Benchmarks.Hosting;

/// <summary>
/// One of the cluster section's replicating silos, in this process: Orleans's ADO.NET membership and the log's partition
/// rows in PostgreSQL, its own write-ahead log directory with the benchmark's providers, and
/// <c>AddWriteAheadLogReplication</c> with the chosen replication factor (the benchmark grains name no placement, so
/// they are placed on their partition's leader).
/// </summary>
public static class ClusterSiloBuilder
{
    /// <summary>The cluster and service id of the replicating silos.</summary>
    public const string ClusterId = "bench-cluster";

    /// <param name="followerApplyDelay">The replicas' <c>ReplicaOptions.FollowerApplyDelay</c>; null: the library's default.</param>
    /// <param name="partitionCount">The cluster's <c>WriteAheadLogReplicationOptions.PartitionCount</c>; null: the library's default.</param>
    public static IHost Build(SiloSettings settings, string connectionString, int replicationFactor, string siloName, TimeSpan? followerApplyDelay = null, int? partitionCount = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(settings.WalDirectory);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            int siloPort = FreeLoopbackPort();
            int gatewayPort = FreeLoopbackPort();
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = BenchSiloBuilder.NpgsqlInvariant;
                o.ConnectionString = connectionString;
            });
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ClusterId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = siloName);
            silo.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = IPAddress.Loopback;
                o.SiloPort = siloPort;
                o.GatewayPort = gatewayPort;
            });
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(2));
            WalProviders.Add(silo, settings.WalDirectory, settings.CheckpointEveryEvents, settings.ReplayCheckpointBytes, settings.JournalHistory);
            silo.AddWriteAheadLogReplication(o =>
            {
                o.ConnectionString = connectionString;
                o.ReplicationFactor = replicationFactor;
                if (partitionCount is { } partitions)
                {
                    o.PartitionCount = partitions;
                }
            });
            if (followerApplyDelay is { } delay)
            {
                silo.Services.Configure<ReplicaOptions>(o => o.FollowerApplyDelay = delay);
            }
        });
        return builder.Build();
    }

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
