using Actors.Replication.Configuration;

namespace Actors.Replication.Tests.Configuration;

public sealed class InMemoryReplicaConfigurationStoreTests : ReplicaConfigurationStoreConformance
{
    protected override Task<IReplicaConfigurationStore> CreateStoreAsync() =>
        Task.FromResult<IReplicaConfigurationStore>(new InMemoryReplicaConfigurationStore(Initial));
}
