using Actors.Cluster.Hosting;
using Actors.Cluster.Partitioning;
using static Actors.Cluster.Tests.Support.TestClusters;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>
/// A reconcile pass acts on the table it read when it began. A joining silo's pass tries to claim a partition that looked
/// unowned; another silo claims it first and hands it to the joining silo while the losing claim is still in flight. The
/// transfer installed meanwhile must survive the lost claim's clean-up: after the grant it is the partition's only copy.
/// </summary>
public sealed class StaleClaimTests
{
    [Fact]
    public async Task ClaimLostOnAStaleTable_PartitionHandedHereMeanwhile_ServedAfterTheGrantNotLost()
    {
        // Two partitions: the first silo keeps partition 0 and hands partition 1 (the one both claim) to the second.
        const int partition = 1;
        var store = new ClaimHoldingClusterStore(new InMemoryClusterStore());
        ClaimHoldingClusterStore.Hold firstClaim = store.HoldClaim(partition, "silo0");
        ClaimHoldingClusterStore.Hold staleClaim = store.HoldClaim(partition, "silo1");
        await using TestCluster cluster = await TestClusters.DeployAsync(1, b =>
        {
            b.Options.ClusterStore = store;
            b.Options.PartitionCount = 2;
        });
        await firstClaim.Arrived.WaitAsync(Patience);

        // The second silo joins while the partition is unowned: its pass plans it there and claims it (held).
        SiloHandle second = await cluster.StartAdditionalSiloAsync();
        await staleClaim.Arrived.WaitAsync(Patience);
        ClusterSilo joining = second.Services.GetRequiredService<ClusterSilo>();

        // The first claim goes through; the first silo then owns both and hands partition 1 to the second silo.
        firstClaim.Release();
        await Eventually.TrueAsync(async () => (await store.ReadAsync(joining.Options.ClusterId, CancellationToken.None)).Partitions[partition].Owner == second.Name,
            Patience, $"partition {partition} granted to {second.Name}");
        Assert.True(joining.Logs.HasData(partition), $"the transfer of partition {partition} is installed on {second.Name}");

        // Now the stale claim reaches the store and fails on the row's version: its clean-up must leave the transfer.
        staleClaim.Release();
        await Eventually.TrueAsync(() => joining.Ownership.StateOf(partition).State is LocalPartitionState.Serving or LocalPartitionState.Lost,
            Patience, $"partition {partition} served or reported lost by {second.Name}");
        Assert.Equal(LocalPartitionState.Serving, joining.Ownership.StateOf(partition).State);
        await cluster.WaitForPartitionsBalancedAsync(Patience);
    }
}
