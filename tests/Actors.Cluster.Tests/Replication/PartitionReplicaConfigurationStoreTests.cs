using Actors.Cluster.Membership;
using Actors.Cluster.Replication;
using Actors.Cluster.Tests.Support;
using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Replication.Tests.Configuration;

namespace Actors.Cluster.Tests.Replication;

/// <summary>
/// The replica configuration kept in the cluster's partition row (<see cref="PartitionReplicaConfigurationStore"/>) passes
/// the configuration store conformance suite over each cluster store, and ties leader to owner in the same write.
/// </summary>
public abstract class PartitionReplicaConfigurationStoreTests : ReplicaConfigurationStoreConformance
{
    private static readonly TimeSpan Lease = TimeSpan.FromHours(1);
    private static readonly string[] SiloNames = ["silo-a", "silo-b", "silo-c"];

    /// <summary>The row is granted once over a fresh (version 1) row, so a fresh configuration is at version 2.</summary>
    protected override long InitialVersion => 2;

    /// <summary>The cluster store under test (shared by the tests of a class; each test uses its own cluster).</summary>
    protected abstract IClusterStore ClusterStore { get; }

    protected override async Task<IReplicaConfigurationStore> CreateStoreAsync() => (await CreateClusterAsync()).Store;

    [Fact]
    public async Task TryWriteAsync_NewLeader_RowOwnerIsThatSiloWithItsIncarnationAndEpoch()
    {
        (string cluster, IReplicaConfigurationStore store) = await CreateClusterAsync();

        ConfigurationWriteResult result = await store.TryWriteAsync(Initial.Version, Initial.WithNewLeader(new ReplicaId(3)));

        Assert.True(result.Applied);
        PartitionRecord row = (await ClusterStore.ReadAsync(cluster, CancellationToken.None)).Partitions[0];
        Assert.Equal(("silo-c", 3L, 2L, PartitionState.Owned), (row.Owner, row.OwnerIncarnation, row.Epoch, row.State));
        Assert.Equal(SiloNames, row.Replicas);
    }

    [Fact]
    public async Task TryWriteAsync_LeaderSiloDead_RefusedAndRowUnchanged()
    {
        (string cluster, IReplicaConfigurationStore store) = await CreateClusterAsync();
        SiloRecord b = (await ClusterStore.ReadAsync(cluster, CancellationToken.None)).FindSilo("silo-b")!;
        Assert.True(await ClusterStore.TryApplyAsync(cluster, new ClusterUpdate().Write(b with { Status = SiloStatus.Dead }, b.Version), CancellationToken.None));
        PartitionRecord before = (await ClusterStore.ReadAsync(cluster, CancellationToken.None)).Partitions[0];

        ConfigurationWriteResult result = await store.TryWriteAsync(Initial.Version, Initial.WithNewLeader(new ReplicaId(2)));

        Assert.False(result.Applied);
        Assert.True(result.Current.SameAs(Initial), result.Current.ToString());
        PartitionRecord after = (await ClusterStore.ReadAsync(cluster, CancellationToken.None)).Partitions[0];
        Assert.Equal((before.Owner, before.Epoch, before.Version), (after.Owner, after.Epoch, after.Version));
    }

    [Fact]
    public async Task TryWriteAsync_RowChangedByTheCluster_StaleProposalRefusedWithTheRowsVersion()
    {
        (string cluster, IReplicaConfigurationStore store) = await CreateClusterAsync();
        PartitionRecord row = (await ClusterStore.ReadAsync(cluster, CancellationToken.None)).Partitions[0];
        Assert.True(await ClusterStore.TryApplyAsync(cluster, new ClusterUpdate().Write(row with { Epoch = row.Epoch + 1, OwnerIncarnation = 1 }, row.Version), CancellationToken.None));

        ConfigurationWriteResult result = await store.TryWriteAsync(Initial.Version, Initial.WithInSync([new ReplicaId(1)]));

        Assert.False(result.Applied);
        Assert.Equal((Initial.Version + 1, 2L, 3), (result.Current.Version, result.Current.Epoch, result.Current.InSync.Length));
    }

    [Fact]
    public async Task ReadAsync_UnreplicatedRow_ThrowsStoreExceptionNamingPartition()
    {
        string cluster = "unreplicated-" + Guid.NewGuid().ToString("N")[..8];
        await ClusterStore.InitializeAsync(cluster, 2, CancellationToken.None);
        var store = new PartitionReplicaConfigurationStore(ClusterStore, cluster, 1);

        ReplicaConfigurationStoreException error = await Assert.ThrowsAsync<ReplicaConfigurationStoreException>(() => store.ReadAsync().AsTask());

        Assert.Contains("Partition 1", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A cluster with three live silos (incarnations 1, 2, 3) and partition 0 granted to silo-a with all three in sync.</summary>
    private async Task<(string Cluster, IReplicaConfigurationStore Store)> CreateClusterAsync()
    {
        string cluster = "replicas-" + Guid.NewGuid().ToString("N")[..12];
        ClusterSnapshot created = await ClusterStore.InitializeAsync(cluster, 2, CancellationToken.None);
        var silos = new ClusterUpdate();
        for (int i = 0; i < SiloNames.Length; i++)
        {
            silos.Write(new SiloRecord(SiloNames[i], i + 1, SiloStatus.Active, $"{SiloNames[i]}:1", null, DateTimeOffset.MinValue, DateTimeOffset.MinValue, 0), 0, Lease);
        }

        Assert.True(await ClusterStore.TryApplyAsync(cluster, silos, CancellationToken.None));
        PartitionRecord row = created.Partitions[0];
        PartitionRecord granted = row with { Owner = "silo-a", OwnerIncarnation = 1, Epoch = 1, Replicas = SiloNames, InSync = SiloNames };
        Assert.True(await ClusterStore.TryApplyAsync(cluster, new ClusterUpdate().Write(granted, row.Version).RequireLease("silo-a", 1), CancellationToken.None));
        return (cluster, new PartitionReplicaConfigurationStore(ClusterStore, cluster, 0));
    }
}
