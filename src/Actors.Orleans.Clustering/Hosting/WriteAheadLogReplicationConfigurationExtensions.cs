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

    /// <summary>The subsection of the replication section that binds the leadership rebalance (<see cref="LeadershipRebalanceOptions"/>).</summary>
    public const string RebalanceSection = "Rebalance";

    /// <summary>The subsection of the replication section that binds the replacement of absent replicas (<see cref="ReplicaReplacementOptions"/>).</summary>
    public const string ReplacementSection = "Replacement";

    /// <summary>The subsection of the replication section that binds the spreading of replicas over the active silos (<see cref="ReplicaBalanceOptions"/>).</summary>
    public const string BalanceSection = "Balance";

    /// <summary>
    /// The key of the replication section that names a connection string of the application's <c>ConnectionStrings</c>
    /// section (as Orleans's ADO.NET providers' <c>ConnectionName</c>, .NET Aspire's way), used when
    /// <c>ConnectionString</c> is not set.
    /// </summary>
    public const string ConnectionNameKey = "ConnectionName";

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
    /// <c>ReplicationFactor</c>, <c>PartitionCount</c>; <see cref="ConnectionNameKey"/> instead of <c>ConnectionString</c>;
    /// the section <c>WriteAheadLog:Replication</c> of appsettings when replication is chosen by configuration) and the
    /// protocol's timing (<see cref="ReplicaOptions"/>) from its subsection <see cref="ProtocolSection"/> and the leadership
    /// rebalance (<see cref="LeadershipRebalanceOptions"/>) from <see cref="RebalanceSection"/> and the replacement of
    /// absent replicas (<see cref="ReplicaReplacementOptions"/>) from <see cref="ReplacementSection"/> and the spreading of
    /// replicas (<see cref="ReplicaBalanceOptions"/>) from <see cref="BalanceSection"/>. Every value is
    /// validated when the silo starts, naming the setting. See
    /// <see cref="WriteAheadLogReplicationSiloBuilderExtensions.AddWriteAheadLogReplication(ISiloBuilder, Action{WriteAheadLogReplicationOptions})"/>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configuration">The section holding the replication settings.</param>
    /// <exception cref="WriteAheadLogReplicationException">At start: <see cref="ConnectionNameKey"/> names a connection string the application's configuration does not have.</exception>
    public static ISiloBuilder AddWriteAheadLogReplication(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddWriteAheadLogReplication(ob =>
        {
            ob.Bind(configuration);
            if (configuration[ConnectionNameKey] is { Length: > 0 } connectionName)
            {
                string setting = configuration is IConfigurationSection section ? $"{section.Path}:{ConnectionNameKey}" : ConnectionNameKey;
                ob.Configure<IConfiguration>((options, application) => options.ConnectionString ??= application.GetConnectionString(connectionName)
                    ?? throw new WriteAheadLogReplicationException($"{setting} is '{connectionName}', but the configuration has no ConnectionStrings:{connectionName} (and {nameof(WriteAheadLogReplicationOptions.ConnectionString)} is not set)."));
            }
        });
        builder.Services.AddOptions<ReplicaOptions>().Bind(configuration.GetSection(ProtocolSection));
        builder.Services.AddOptions<LeadershipRebalanceOptions>().Bind(configuration.GetSection(RebalanceSection));
        builder.Services.AddOptions<ReplicaReplacementOptions>().Bind(configuration.GetSection(ReplacementSection));
        builder.Services.AddOptions<ReplicaBalanceOptions>().Bind(configuration.GetSection(BalanceSection));
        return builder;
    }
}
