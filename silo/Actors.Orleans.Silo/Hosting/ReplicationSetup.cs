using Actors.Orleans.Clustering;
using Actors.Orleans.Silo.Options;
using Actors.Replication.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// The write-ahead log's partitions across silos (<c>AddWriteAheadLogReplication</c>, src/Actors.Orleans.Clustering)
/// when <see cref="ActorsSiloOptions.ReplicationConnectionString"/> is set: every grain's log lives on its partition's
/// leader and several silos serve storage. Without the setting one silo serves storage and a second active silo is
/// refused by the providers.
/// </summary>
/// <remarks>
/// The protocol's timing, the leadership rebalance, the replacement of absent replicas and the spreading of replicas bind
/// from the subsections <c>Protocol</c>, <c>Rebalance</c>, <c>Replacement</c> and <c>Balance</c> of
/// <c>WriteAheadLog:Replication</c> (appsettings, or
/// environment variables such as <c>WRITEAHEADLOG__REPLICATION__REPLACEMENT__ABSENTFOR=00:10:00</c>), as with
/// <c>AddWriteAheadLogReplication(IConfiguration)</c>.
/// </remarks>
internal static class ReplicationSetup
{
    /// <summary>The configuration section whose subsections tune the replication.</summary>
    public const string SectionName = "WriteAheadLog:Replication";

    /// <summary>Adds the partitioned log when the setting is present.</summary>
    public static ISiloBuilder AddSiloReplication(this ISiloBuilder silo, ActorsSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReplicationConnectionString.Length == 0)
        {
            return silo;
        }

        silo.AddWriteAheadLogReplication(o =>
        {
            o.ConnectionString = options.ReplicationConnectionString;
            o.ReplicationFactor = options.ReplicationFactor;
        });
        IConfigurationSection section = silo.Configuration.GetSection(SectionName);
        silo.Services.AddOptions<ReplicaOptions>().Bind(section.GetSection(WriteAheadLogReplicationConfigurationExtensions.ProtocolSection));
        silo.Services.AddOptions<LeadershipRebalanceOptions>().Bind(section.GetSection(WriteAheadLogReplicationConfigurationExtensions.RebalanceSection));
        silo.Services.AddOptions<ReplicaReplacementOptions>().Bind(section.GetSection(WriteAheadLogReplicationConfigurationExtensions.ReplacementSection));
        silo.Services.AddOptions<ReplicaBalanceOptions>().Bind(section.GetSection(WriteAheadLogReplicationConfigurationExtensions.BalanceSection));
        return silo;
    }
}
