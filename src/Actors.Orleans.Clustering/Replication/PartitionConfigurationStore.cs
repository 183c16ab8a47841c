using Actors.Replication.Configuration;
using Actors.Replication.PostgreSql;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// The <see cref="IReplicaConfigurationStore"/> of one partition's replica on this silo: reads through the silo's
/// <see cref="CoalescedConfigurationReads"/>, writes as the row's conditional update
/// (<see cref="PostgreSqlReplicaConfigurationStore"/>).
/// </summary>
/// <remarks>Thread-safe. Failures surface as <see cref="ReplicaConfigurationStoreException"/>.</remarks>
internal sealed class PartitionConfigurationStore(int partition, CoalescedConfigurationReads reads, PostgreSqlReplicaConfigurationStore writes) : IReplicaConfigurationStore
{
    /// <inheritdoc />
    public ValueTask<ReplicaConfiguration> ReadAsync(CancellationToken cancellationToken = default) => reads.ReadAsync(partition);

    /// <inheritdoc />
    public ValueTask<ConfigurationWriteResult> TryWriteAsync(long expectedVersion, ReplicaConfiguration proposal, CancellationToken cancellationToken = default) =>
        writes.TryWriteAsync(expectedVersion, proposal, cancellationToken);
}
