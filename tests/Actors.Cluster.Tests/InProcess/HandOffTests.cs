using Actors.Cluster.Hosting;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Tests.Grains;
using static Actors.Cluster.Tests.Support.TestClusters;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>A partition hand-off while a request of one of its grains waits on a call into the same partition.</summary>
public sealed class HandOffTests
{
    /// <summary>
    /// The hand-off waits for the partition's grains to finish their running requests, and calls into the partition wait
    /// for the hand-off: a running request that calls a grain of its own partition (the demo's transfers between accounts)
    /// waited for its partition's move and the move for it, until the call's timeout (the compose check's 30 s hang).
    /// A drain that stops making progress undoes the move instead: the waiting call is served here and the request ends.
    /// </summary>
    [Fact]
    public async Task HandOff_RunningRequestCallsIntoItsMovingPartition_CallCompletesAndMoveUndoneThenRetried()
    {
        await using TestCluster cluster = await TestClusters.DeployBalancedAsync(2);
        ClusterSnapshot snapshot = cluster.Primary.Services.GetRequiredService<IClusterView>().Snapshot!;
        (string relay, string account, int partition) = SamePartition(snapshot.PartitionCount);
        string owner = snapshot.Partitions[partition].Owner!;
        SiloHandle ownerSilo = cluster.Silos.Single(s => s.Name == owner);
        string target = cluster.Silos.Single(s => s.Name != owner).Name;
        ClusterSilo ownerCluster = ownerSilo.Services.GetRequiredService<ClusterSilo>();
        IAccountGrain credited = cluster.Client.GetGrain<IAccountGrain>(account);
        await credited.Deposit(10, 1);

        Task<long> relayed = cluster.Client.GetGrain<IRelayAccountGrain>(relay).RelayDeposit(account, 5, 2);
        await RelayGate.Entered(relay).WaitAsync(Patience);
        Task move = ownerCluster.HandOff.HandOffAsync(partition, target, CancellationToken.None);
        await Eventually.TrueAsync(() => ownerCluster.Ownership.StateOf(partition).State == LocalPartitionState.HandingOff, Patience, $"partition {partition} handing off");
        RelayGate.Release(relay);

        Assert.Equal(1, await relayed);
        await move.WaitAsync(Patience);
        Assert.Equal(owner, (await ownerCluster.Membership.RefreshAsync(CancellationToken.None)).Partitions[partition].Owner);

        // Nothing runs now: the move goes through, and the new owner has every acknowledged deposit.
        await ownerCluster.HandOff.HandOffAsync(partition, target, CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(target, (await ownerCluster.Membership.RefreshAsync(CancellationToken.None)).Partitions[partition].Owner);
        AccountSnapshot moved = await credited.Get();
        Assert.Equal((15, target), (moved.Balance, moved.Silo));
        Assert.Equal([1L, 2L], moved.Sequences);
    }

    /// <summary>
    /// A silo granted a partition whose logs it does not hold (its installed transfer deleted by a reconcile pass that judged
    /// it against an older snapshot, as in the compose check) reports the partition lost, typed, instead of opening empty
    /// logs and serving the partition's grains with their acknowledged events gone.
    /// </summary>
    [Fact]
    public async Task GrantedPartition_WithoutItsLogsHere_ReportedLostNotServedEmpty()
    {
        await using TestCluster cluster = await TestClusters.DeployBalancedAsync(2);
        ClusterSnapshot snapshot = await cluster.Primary.Services.GetRequiredService<ClusterSilo>().Membership.RefreshAsync(CancellationToken.None);
        (_, string account, int partition) = SamePartition(snapshot.PartitionCount);
        IAccountGrain grain = cluster.Client.GetGrain<IAccountGrain>(account);
        await grain.Deposit(10, 1);
        string owner = snapshot.Partitions[partition].Owner!;
        ClusterSilo grantee = cluster.Silos.Single(s => s.Name != owner).Services.GetRequiredService<ClusterSilo>();

        // The grant of a move whose files never arrived here (nor any other copy of the partition).
        grantee.Logs.Delete(partition);
        PartitionRecord row = (await grantee.Membership.RefreshAsync(CancellationToken.None)).Partitions[partition];
        PartitionRecord granted = row with { Owner = grantee.Membership.Name, OwnerIncarnation = grantee.Membership.Incarnation, Epoch = row.Epoch + 1, State = PartitionState.Owned, Target = null };
        Assert.True(await grantee.Membership.TryApplyAsync(new ClusterUpdate().Write(granted, row.Version), CancellationToken.None));
        await Eventually.TrueAsync(() => grantee.Ownership.StateOf(partition).State is LocalPartitionState.Lost or LocalPartitionState.Serving, Patience, $"partition {partition} opened or reported lost by {grantee.Membership.Name}");

        Assert.Equal(LocalPartitionState.Lost, grantee.Ownership.StateOf(partition).State);
        // The former owner serves the partition until its own reconcile sees the grant (one snapshot poll); only then do
        // its calls go to the grantee. Without this wait the call below could still be answered by the former owner.
        ClusterSilo former = cluster.Silos.Single(s => s.Name == owner).Services.GetRequiredService<ClusterSilo>();
        await Eventually.TrueAsync(() => former.Ownership.StateOf(partition).State != LocalPartitionState.Serving, Patience, $"{owner} no longer serving partition {partition}");
        PartitionUnavailableException error = await Assert.ThrowsAsync<PartitionUnavailableException>(() => grain.Get());
        Assert.Equal(partition, error.Partition);
    }

    /// <summary>A relay key and an account key whose grains fall in the same partition.</summary>
    private static (string Relay, string Account, int Partition) SamePartition(int partitionCount)
    {
        const string relay = "relay-0";
        int partition = PartitionMap.GetPartition(new GrainId("relay", relay), partitionCount);
        string account = Enumerable.Range(0, 10_000).Select(i => $"relayed-{i}").First(a => PartitionMap.GetPartition(new GrainId("account", a), partitionCount) == partition);
        return (relay, account, partition);
    }
}
