using Actors.Orleans.Clustering;
using Actors.Replication.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orleans.Hosting;

/// <summary>
/// <c>AddWriteAheadLogReplication</c> with its options bound from configuration or configured through an
/// <see cref="OptionsBuilder{TOptions}"/>, as the single-silo providers' options are.
/// </summary>
public static class WriteAheadLogReplicationConfigurationExtensions
{
    /// <summary>The subsection of the replication section that binds the protocol's timing (<see cref="ReplicaOptions"/>).</summary>
    public const string ProtocolSection = "Protocol";

    /// <summary>
    /// Partitions (and, with a replication factor above 1, replicates) the write-ahead log between the cluster's silos, its
    /// <see cref="WriteAheadLogReplicationOptions"/> configured through <paramref name="configureOptions"/> (bind, validate,
    /// configure from services). See
    /// <see cref="WriteAheadLogReplicationSiloBuilderExtensions.AddWriteAheadLogReplication(ISiloBuilder, Action{WriteAheadLogReplicationOptions})"/>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configureOptions">Configures the options; <see cref="WriteAheadLogReplicationOptions.ConnectionString"/> is required.</param>
    public static ISiloBuilder AddWriteAheadLogReplication(this ISiloBuilder builder, Action<OptionsBuilder<WriteAheadLogReplicationOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureOptions);
        builder.AddWriteAheadLogReplication((WriteAheadLogReplicationOptions _) => { });
        configureOptions(builder.Services.AddOptions<WriteAheadLogReplicationOptions>());
        return builder;
    }

    /// <summary>
    /// Partitions (and, with a replication factor above 1, replicates) the write-ahead log between the cluster's silos,
    /// <see cref="WriteAheadLogReplicationOptions"/> bound from <paramref name="configuration"/> (<c>ConnectionString</c>,
    /// <c>ReplicationFactor</c>, <c>PartitionCount</c>; the section <c>WriteAheadLog:Replication</c> of appsettings when
    /// replication is chosen by configuration) and the protocol's timing (<see cref="ReplicaOptions"/>) from its
    /// subsection <see cref="ProtocolSection"/>. Every value is validated when the silo starts, naming the setting. See
    /// <see cref="WriteAheadLogReplicationSiloBuilderExtensions.AddWriteAheadLogReplication(ISiloBuilder, Action{WriteAheadLogReplicationOptions})"/>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configuration">The section holding the replication settings.</param>
    public static ISiloBuilder AddWriteAheadLogReplication(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddWriteAheadLogReplication(ob => ob.Bind(configuration));
        builder.Services.AddOptions<ReplicaOptions>().Bind(configuration.GetSection(ProtocolSection));
        return builder;
    }
}
