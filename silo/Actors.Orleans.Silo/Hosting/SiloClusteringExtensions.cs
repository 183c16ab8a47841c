using Actors.Orleans.Silo.Clustering;
using Actors.Orleans.Silo.Options;
using Orleans.Configuration;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// Orleans's membership and endpoints: localhost clustering (one silo, no database) by default, Orleans's ADO.NET
/// clustering on PostgreSQL when <see cref="ActorsSiloOptions.ClusteringConnectionString"/> is set (its tables created
/// at start by <see cref="OrleansClusteringSchema"/>), Orleans's Kubernetes hosting when
/// <see cref="ActorsSiloOptions.KubernetesHosting"/> is on; the ports bound on the configured address and the
/// resolved address advertised.
/// </summary>
internal static class SiloClusteringExtensions
{
    /// <summary>The ADO.NET invariant of PostgreSQL's provider.</summary>
    public const string PostgreSqlInvariant = "Npgsql";

    public static ISiloBuilder AddSiloClustering(this ISiloBuilder silo, ActorsSiloOptions options, SiloEndpoints endpoints)
    {
        if (options.ClusteringConnectionString.Length == 0)
        {
            silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, primarySiloEndpoint: null, options.ServiceId, options.ClusterId);
        }
        else
        {
            silo.UseAdoNetClustering(adoNet =>
            {
                adoNet.Invariant = PostgreSqlInvariant;
                adoNet.ConnectionString = options.ClusteringConnectionString;
            });
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
        }

        if (options.KubernetesHosting)
        {
            silo.UseKubernetesHosting();
        }

        // After UseLocalhostClustering, which advertises the loopback address: these values win.
        silo.Configure<EndpointOptions>(endpoint =>
        {
            // Null only with Kubernetes hosting and no AdvertisedAddress: its post-configuration then sets the pod's IP.
            endpoint.AdvertisedIPAddress = endpoints.AdvertisedAddress!;
            endpoint.SiloPort = endpoints.SiloPort;
            endpoint.GatewayPort = endpoints.GatewayPort;
            endpoint.SiloListeningEndpoint = new(endpoints.BindAddress, endpoints.SiloListeningPort);
            endpoint.GatewayListeningEndpoint = new(endpoints.BindAddress, endpoints.GatewayListeningPort);
        });
        if (options.SiloName.Length > 0)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = options.SiloName);
        }

        return silo;
    }
}
