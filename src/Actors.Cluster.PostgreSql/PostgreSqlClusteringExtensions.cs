using Actors.Cluster.Membership;
using Actors.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.Cluster.PostgreSql;

/// <summary>Makes a silo a member of a cluster whose table is in PostgreSQL.</summary>
public static class PostgreSqlClusteringExtensions
{
    /// <summary>
    /// Clustering (see <c>UseClustering</c>) with the cluster table in the PostgreSQL database of
    /// <paramref name="connectionString"/>; the silo creates and migrates the schema when it starts.
    /// </summary>
    public static ISiloBuilder UsePostgreSqlClustering(this ISiloBuilder silo, string connectionString, Action<ClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        silo.Services.RemoveAll<IClusterStore>();
        silo.Services.AddSingleton<IClusterStore>(_ => new PostgreSqlClusterStore(connectionString));
        return silo.UseClustering(configure);
    }
}
