using Actors.Orleans.Clustering.Replication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>Registers the replication transport over Orleans messaging (<see cref="OrleansReplicaMessaging"/>).</summary>
internal static class ReplicaMessagingRegistration
{
    /// <summary>
    /// Adds <see cref="IReplicaMessaging"/> over Orleans messaging and its grain service (<see cref="ReplicaFrameService"/>).
    /// Needs the cluster replica that <c>AddWriteAheadLogReplication</c> registers. Calling it again adds nothing.
    /// </summary>
    public static IServiceCollection AddOrleansReplicaMessaging(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(OrleansReplicaMessaging)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ReplicaAddressBook>();
        services.AddSingleton<ReplicaFrameServiceClient>();
        services.AddSingleton<OrleansReplicaMessaging>();
        services.AddSingleton<IReplicaMessaging>(sp => sp.GetRequiredService<OrleansReplicaMessaging>());
        services.AddGrainService<ReplicaFrameService>();
        return services;
    }
}
