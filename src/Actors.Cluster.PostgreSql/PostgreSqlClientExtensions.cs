using Actors.Client;

namespace Actors.Cluster.PostgreSql;

/// <summary>Points a cluster client at the gateways listed in the cluster table in PostgreSQL.</summary>
public static class PostgreSqlClientExtensions
{
    /// <summary>
    /// Learns the gateways of cluster <paramref name="clusterId"/> from the cluster table in the PostgreSQL database of
    /// <paramref name="connectionString"/> before every connect (<see cref="PostgreSqlGatewayListProvider"/>); gateways
    /// given with <c>UseGateway</c> are tried after them.
    /// </summary>
    public static ClusterClientBuilder UsePostgreSqlGatewayList(this ClusterClientBuilder builder, string connectionString, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        return builder.UseGatewayListProvider(new PostgreSqlGatewayListProvider(connectionString, clusterId));
    }
}
