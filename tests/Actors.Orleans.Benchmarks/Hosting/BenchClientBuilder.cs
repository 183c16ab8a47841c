using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Actors.Orleans.Benchmarks.Hosting;

/// <summary>
/// The cluster section's Orleans clients (<c>--callers-from client</c>): a host of its own in this process with
/// <c>UseOrleansClient</c>, reaching the silos only through their gateways over loopback, with Orleans's client defaults
/// otherwise (one connection per gateway, grains spread over the gateways by Orleans's own bucketing).
/// </summary>
public static class BenchClientBuilder
{
    /// <summary>A client of the one benchmark silo (localhost clustering, whose cluster and service id are Orleans's "dev").</summary>
    public static IHost ForGateway(int gatewayPort)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gatewayPort);
        return Build(client => client.UseLocalhostClustering(gatewayPort));
    }

    /// <summary>
    /// A client of the replicating silos: its gateway list is the active silos' gateways in Orleans's ADO.NET membership
    /// table in <paramref name="connectionString"/>, as a deployed client finds them.
    /// </summary>
    public static IHost ForCluster(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return Build(client =>
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = BenchSiloBuilder.NpgsqlInvariant;
                o.ConnectionString = connectionString;
            });
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterSiloBuilder.ClusterId;
                o.ServiceId = ClusterSiloBuilder.ClusterId;
            });
        });
    }

    private static IHost Build(Action<IClientBuilder> configure)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(configure);
        return builder.Build();
    }
}
