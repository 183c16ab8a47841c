using Actors.Orleans.Clustering;
using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Transport;
using Actors.Replication.Options;
using Orleans.Configuration;
using Actors.Orleans.Log;
using Actors.Orleans.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Actors.Orleans;

namespace Orleans.Hosting;

/// <summary>Lets several Orleans silos share the write-ahead log: grains hashed to partitions, each served by its leader.</summary>
public static class WriteAheadLogReplicationSiloBuilderExtensions
{
    /// <summary>
    /// Partitions the write-ahead-log grains between the cluster's silos: each grain's partition (a stable hash of its
    /// <see cref="GrainId"/>) is led by one silo, recorded with its epoch in PostgreSQL; <c>[WriteAheadLog]</c> grains are
    /// placed on their partition's leader, and a storage call on any other silo is refused with a retryable
    /// <c>WriteAheadLogUnavailableException</c> (never served from a copy that is not the partition's).
    /// </summary>
    /// <remarks>
    /// Needs <c>AddWriteAheadLog</c> and Orleans membership (any). Grain classes naming no placement are placed as
    /// <c>[WriteAheadLog]</c> ones (it replaces Orleans's default placement, unless the silo registered another one). The cluster's rows are created on start when missing,
    /// safely when several silos start at once. Options are validated at start, naming the setting. With
    /// <see cref="WriteAheadLogReplicationOptions.ReplicationFactor"/> 1 a down silo's partitions wait for it; above 1 each
    /// partition is replicated to that many silos and fails over to an in-sync replica within seconds (protocol timing:
    /// <see cref="ReplicaOptions"/>, configurable with <c>services.Configure&lt;ReplicaOptions&gt;</c>), and Orleans's
    /// failure detection is made faster unless the silo set it (<see cref="FailoverMembershipOptions"/>).
    /// </remarks>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets <see cref="WriteAheadLogReplicationOptions.ConnectionString"/> (required) and the other settings.</param>
    public static ISiloBuilder AddWriteAheadLogReplication(this ISiloBuilder builder, Action<WriteAheadLogReplicationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        IServiceCollection services = builder.Services;
        services.Configure(configure);
        if (services.Any(d => d.ServiceType == typeof(ClusterReplica)))
        {
            return builder;
        }

        services.AddOptions<WriteAheadLogReplicationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WriteAheadLogReplicationOptions>, WriteAheadLogReplicationOptionsValidator>());
        services.AddSingleton<ClusterReplica>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ClusterReplica>());
        services.AddSingleton<PartitionView>();
        services.AddOptions<ReplicaOptions>();
        services.AddSingleton<SiloReplicas>();
        services.AddSingleton<PartitionActivations>();
        services.AddSingleton<ReplicaSupervisor>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ReplicaSupervisor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ClusterMembershipOptions>, FailoverMembershipOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SiloMessagingOptions>, FailoverMessagingOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutgoingGrainCallFilter, StoppingSiloRetryFilter>());
        services.AddOrleansReplicaMessaging();
        services.AddSingleton<PartitionedGrainLogResolver>();
        services.RemoveAll<IGrainLogResolver>();
        services.AddSingleton<IGrainLogResolver>(sp => sp.GetRequiredService<PartitionedGrainLogResolver>());
        services.AddSingleton<IGrainLeaderLocator, LeaderPlacementLocator>();

        // Grains naming no placement use their storage's partition too (Orleans's default strategy, unless the silo chose
        // another one), so that grains on the default write-ahead-log providers are placed on their leaders.
        ServiceDescriptor? placement = services.LastOrDefault(d => d.ServiceType == typeof(PlacementStrategy) && !d.IsKeyedService);
        if (placement is null || placement.ImplementationType == typeof(ResourceOptimizedPlacement))
        {
            services.RemoveAll<PlacementStrategy>();
            services.AddSingleton<PlacementStrategy, WriteAheadLogPlacement>();
        }

        return builder;
    }
}
