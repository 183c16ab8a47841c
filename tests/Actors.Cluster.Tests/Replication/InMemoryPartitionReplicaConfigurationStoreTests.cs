using Actors.Cluster.Membership;

namespace Actors.Cluster.Tests.Replication;

/// <summary>Over the in-memory cluster store.</summary>
public sealed class InMemoryPartitionReplicaConfigurationStoreTests : PartitionReplicaConfigurationStoreTests
{
    protected override IClusterStore ClusterStore { get; } = new InMemoryClusterStore();
}
