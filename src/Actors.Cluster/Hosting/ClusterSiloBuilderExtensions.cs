using Actors.Cluster.Diagnostics;
using Actors.Cluster.Hosting;
using Actors.Cluster.Membership;
using Actors.Cluster.Reminders;
using Actors.Hosting;
using Actors.Hosting.Dashboard;
using Actors.Persistence.Wal;
using Actors.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actors.Cluster;

/// <summary>Makes a silo a member of a cluster.</summary>
public static class ClusterSiloBuilderExtensions
{
    /// <summary>
    /// Makes the silo a cluster member: <see cref="ClusterOptions"/> bound from <c>Actors:Cluster</c> then adjusted by
    /// <paramref name="configure"/> and validated at start; silo-to-silo messaging; membership and partition ownership in
    /// the registered <see cref="IClusterStore"/> (add one: <c>UsePostgreSqlClustering</c> or <see cref="UseInMemoryClustering"/>);
    /// a partitioned grain directory; placement; write-ahead-log stores with one log per partition; the <c>cluster</c>
    /// health check (tag <c>ready</c>); and <see cref="IClusterView"/>. Calling it again only adds configuration.
    /// </summary>
    public static ISiloBuilder UseClustering(this ISiloBuilder silo, Action<ClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        IServiceCollection services = silo.Services;
        OptionsBuilder<ClusterOptions> options = services.AddOptions<ClusterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(ClusterSilo)))
        {
            return silo;
        }

        options.Bind(silo.Configuration.GetSection(ClusterOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        services.AddSingleton<ClusterSilo>();
        services.AddSingleton<IClusterView>(sp => sp.GetRequiredService<ClusterSilo>());
        services.AddSingleton<IGrainCallRouter>(sp => sp.GetRequiredService<ClusterSilo>().Router);
        services.AddSingleton<Actors.Hosting.Gateway.IGatewayRoutingSource>(sp => sp.GetRequiredService<ClusterSilo>().GatewayRouting);
        services.AddSingleton<IEventLogFactory>(sp => sp.GetRequiredService<ClusterSilo>().LogFactory);
        // Reminders (when the silo has a reminder service) are partitioned like grains and fire on the partition's owner.
        services.Replace(ServiceDescriptor.Singleton<IReminderPartitioner>(sp => new ClusterReminderPartitioner(sp.GetRequiredService<ClusterSilo>().Membership)));
        services.AddSingleton<IReminderPartitionOwnership>(sp => sp.GetRequiredService<ClusterSilo>().Reminders);
        services.AddSingleton<ClusterService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ClusterService>());
        services.AddSingleton<ISiloAbruptStopParticipant>(sp => sp.GetRequiredService<ClusterService>());
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDashboardPanelSource, ClusterSilosPanelSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDashboardPanelSource, PartitionsPanelSource>());
        return silo;
    }

    /// <summary>
    /// Makes the silo a member of a cluster whose table lives in <paramref name="store"/> (share one instance between the
    /// silos of a test cluster or a simulation; it lives as long as the process).
    /// </summary>
    public static ISiloBuilder UseInMemoryClustering(this ISiloBuilder silo, InMemoryClusterStore store, Action<ClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(store);
        silo.Services.RemoveAll<IClusterStore>();
        silo.Services.AddSingleton<IClusterStore>(store);
        return silo.UseClustering(configure);
    }

    /// <summary>Uses <paramref name="store"/> as the cluster store (a custom implementation of the contract).</summary>
    public static ISiloBuilder UseClusterStore(this ISiloBuilder silo, IClusterStore store)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(store);
        silo.Services.RemoveAll<IClusterStore>();
        silo.Services.AddSingleton(store);
        return silo;
    }
}
