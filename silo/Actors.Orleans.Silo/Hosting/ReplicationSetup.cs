using Actors.Orleans.Silo.Options;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// The write-ahead log's partitions across silos (<c>AddWriteAheadLogReplication</c>, src/Actors.Orleans.Clustering)
/// when <see cref="ActorsSiloOptions.ReplicationConnectionString"/> is set: every grain's log lives on its partition's
/// leader and several silos serve storage. Without the setting one silo serves storage and a second active silo is
/// refused by the providers.
/// </summary>
/// <remarks>
/// The clustering layer accepts a replication factor of 1 today (partitions spread over the silos, no failover: a dead
/// silo's partitions wait for it); a larger factor stops the silo at start naming the setting.
/// </remarks>
internal static class ReplicationSetup
{
    /// <summary>Adds the partitioned log when the setting is present.</summary>
    public static ISiloBuilder AddSiloReplication(this ISiloBuilder silo, ActorsSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReplicationConnectionString.Length == 0)
        {
            return silo;
        }

        return silo.AddWriteAheadLogReplication(o =>
        {
            o.ConnectionString = options.ReplicationConnectionString;
            o.ReplicationFactor = options.ReplicationFactor;
        });
    }
}
