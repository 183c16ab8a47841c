using Actors.Cluster;
using Actors.Cluster.PostgreSql;
using Actors.Hosting;

namespace Actors.Silo;

/// <summary>
/// Cluster mode of the silo program (docs/cluster.md). Off by default: one silo, no server, exactly the embedded
/// default. With <c>Actors:Cluster:Enabled=true</c> (<c>ACTORS__CLUSTER__ENABLED</c>) the silo joins the cluster whose
/// table is in the PostgreSQL database of <c>Actors:Cluster:ConnectionString</c>; every other <see cref="ClusterOptions"/>
/// setting is read from <c>Actors:Cluster</c> too (<c>ClusterId</c>, <c>Port</c>, <c>BindAddress</c>, <c>AdvertisedHost</c>,
/// <c>Secret</c>, <c>LeaseDuration</c>, ...). <c>Actors:SiloName</c> must be unique in the cluster and stay with the data
/// directory: the partitions a silo owns are kept on its volume under its name.
/// </summary>
public static class SiloClustering
{
    /// <summary>The switch: <c>Actors:Cluster:Enabled</c>.</summary>
    public const string EnabledKey = ClusterOptions.SectionName + ":Enabled";

    /// <summary>The PostgreSQL connection string of the cluster table: <c>Actors:Cluster:ConnectionString</c>.</summary>
    public const string ConnectionStringKey = ClusterOptions.SectionName + ":ConnectionString";

    /// <summary>
    /// The exit code of a silo that stopped because its cluster declared it dead (its lease ended, or an operator edited
    /// its row): it stopped serving at once; an orchestrator should restart it on the same data directory.
    /// </summary>
    public const int DeclaredDeadExitCode = 3;

    /// <summary>Whether <see cref="EnabledKey"/> is true.</summary>
    /// <exception cref="InvalidOperationException">The setting is not a boolean (the message names it).</exception>
    public static bool IsEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? value = configuration[EnabledKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        return bool.TryParse(value, out bool enabled)
            ? enabled
            : throw new InvalidOperationException($"{EnabledKey} must be true or false; got '{value}'.");
    }

    /// <summary>Adds clustering over PostgreSQL when <see cref="EnabledKey"/> is true; does nothing otherwise.</summary>
    /// <exception cref="InvalidOperationException">Cluster mode is on but <see cref="ConnectionStringKey"/> is empty.</exception>
    public static void Configure(ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (!IsEnabled(silo.Configuration))
        {
            return;
        }

        string connectionString = silo.Configuration[ConnectionStringKey] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnabledKey} is true but {ConnectionStringKey} is not set: the cluster table lives in PostgreSQL (for example 'Host=postgres;Username=actors;Password=...;Database=actors').");
        silo.UsePostgreSqlClustering(connectionString);
    }

    /// <summary>Whether the running silo was declared dead by its cluster (false for a single silo).</summary>
    public static bool WasDeclaredDead(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService<IClusterView>() is { IsDeclaredDead: true };
    }
}
