using Actors.Orleans.Silo.Options;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// MERGE SEAM (issue 61): the write-ahead log's replication between silos, when
/// <see cref="ActorsSiloOptions.ReplicationConnectionString"/> is set. The replication layer
/// (<c>src/Actors.Orleans.Clustering</c>, <c>AddWriteAheadLogReplication</c>) is not part of this build yet; when it
/// lands, this method's body becomes:
/// <code>
/// silo.AddWriteAheadLogReplication(o =>
/// {
///     o.ConnectionString = options.ReplicationConnectionString;
///     o.ReplicationFactor = options.ReplicationFactor;
/// });
/// </code>
/// Until then a configured connection string stops the silo at start rather than run it unreplicated while the
/// operator believes otherwise. Without the setting one silo serves storage (a second active silo is refused by the
/// providers).
/// </summary>
internal static class ReplicationSetup
{
    /// <exception cref="SiloStartupException">The setting is present and this build cannot honour it.</exception>
    public static ISiloBuilder AddSiloReplication(this ISiloBuilder silo, ActorsSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReplicationConnectionString.Length == 0)
        {
            return silo;
        }

        throw new SiloStartupException(
            $"{ActorsSiloOptions.SectionName}:{nameof(ActorsSiloOptions.ReplicationConnectionString)} is set, but this silo build has no replication layer "
            + "(AddWriteAheadLogReplication, src/Actors.Orleans.Clustering, issue 61): remove the setting to run one silo without replication.");
    }
}
