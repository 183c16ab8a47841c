using Actors.Cluster.Hosting;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Tests.Grains;
using Actors.Cluster.Tests.Support;
using Actors.Replication.Wal;
using Actors.TestingHost;
using Actors.Wal;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Cluster.Tests.Replication;

/// <summary>
/// A replica that stops on a failure is started again while its partition's row names the silo (issue 13: before, a failed
/// host stayed held, and neither restarted nor replaced, until the silo restarted), and a leader whose silo cannot open the
/// partition for good steps down so that another in-sync replica serves it (before, the partition stayed unavailable).
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicaRestartTests
{
    private static readonly TimeSpan Patience = TestClusters.Patience;
    private const int Partition = 0;

    [Fact]
    public async Task Reconcile_FollowerReplicaHostFailed_StartedAgainAndHoldsEveryAcknowledgedEntry()
    {
        await using TestCluster cluster = await TestClusters.DeployReplicatedAsync(3, partitionCount: 3);
        (ClusterSilo[] silos, PartitionRows rows, PartitionRecord row) = await InSyncAsync(cluster);
        ClusterSilo follower = silos.First(s => s.SiloName != row.Owner);
        IAccountGrain account = cluster.Client.GetGrain<IAccountGrain>(KeyOf("restarted"));
        await account.Deposit(10, 1);

        ReplicaHost failed = PartitionRows.HostOf(follower, Partition);
        failed.InjectFailure(new IOException("injected: fdatasync failed (EIO)"));
        await Eventually.TrueAsync(
            () => follower.Replicas.ReplicaOf(Partition)?.Host is { } host && host != failed && !host.Status.Failed, Patience,
            $"{follower.SiloName}'s replica of partition 0 started again after its host failed");

        Assert.IsType<IOException>(failed.Failure?.InnerException);
        Assert.True(follower.Replicas.RestartOf(Partition) is { Failures: 1 } restart && restart.Reason.Contains("injected", StringComparison.Ordinal),
            $"one restart recorded with its cause: {follower.Replicas.RestartOf(Partition)}");
        await account.Deposit(5, 2);
        // Every acknowledged deposit is durable on the restarted replica once it is back in sync (the leader waits for it, or
        // dropped it from the in-sync set meanwhile and adds it back once it has caught up).
        await rows.WaitAsync(r => r.InSync.Contains(follower.SiloName), $"{follower.SiloName} in partition 0's in-sync set again");
        ClusterSilo leader = silos.Single(s => s.Replicas.StatusOf(Partition) is { IsLeader: true });
        long committed = PartitionRows.HostOf(leader, Partition).Status.CommittedLsn;
        await Eventually.TrueAsync(() => PartitionRows.HostOf(follower, Partition).Status.DurableLsn >= committed, Patience,
            $"{follower.SiloName}'s restarted replica durable up to the leader's committed LSN {committed}");
        Assert.Equal(15L, (await account.Get()).Balance);
    }

    [Fact]
    public async Task OpenAsync_ItsLeaderCannotOpenThePartitionForGood_ReplicaStepsDownAndAnotherReplicaServesIt()
    {
        await using TestCluster cluster = await TestClusters.DeployReplicatedAsync(3, partitionCount: 3);
        (ClusterSilo[] silos, PartitionRows rows, PartitionRecord claimed) = await InSyncAsync(cluster);
        ClusterSilo owner = silos.Single(s => s.SiloName == claimed.Owner);
        IAccountGrain account = cluster.Client.GetGrain<IAccountGrain>(KeyOf("stepped-down"));
        await account.Deposit(10, 1);

        // From now on this silo cannot open partition 0 (as with a damaged materialized log): every open of it fails for good.
        await rows.DethroneAsync(owner);
        owner.Logs.BeforeEpochRecord = (p, _) => p == Partition
            ? throw new LogCorruptedException("injected/00000001.seg", 0, "injected damage")
            : Task.CompletedTask;
        PartitionRecord led = await rows.MakeLeaderAsync(owner);

        // Its open under that epoch fails permanently; its replica stops, so another in-sync replica takes the partition over
        // (should the restarted replica win an election again, it fails and steps down again).
        PartitionRecord after = await rows.WaitAsync(r => r.Epoch > led.Epoch && r.Owner != owner.SiloName, "another replica leading partition 0");
        Assert.True(owner.Ownership.LastOpenFailure(Partition) is { IsPermanent: true, Cause: LogCorruptedException },
            $"the open failed for good: {owner.Ownership.LastOpenFailure(Partition)}");
        Assert.True(owner.Replicas.RestartOf(Partition) is { Failures: >= 1 } restart && restart.Reason.Contains("could not be opened here", StringComparison.Ordinal),
            $"the replica was stopped for the failed open: {owner.Replicas.RestartOf(Partition)}");

        AccountSnapshot served = await account.Get();
        Assert.Equal(10L, served.Balance);
        Assert.NotEqual(owner.SiloName, served.Silo);
        await account.Deposit(5, 2);
        Assert.Equal(15L, (await account.Get()).Balance);
        // The stopped replica started again (a follower) and caught up: the partition is on three in-sync replicas again.
        await Eventually.TrueAsync(() => owner.Replicas.StatusOf(Partition) is { Failed: false }, Patience, $"{owner.SiloName}'s replica of partition 0 started again");
        await rows.WaitAsync(r => r.InSync.Count == 3 && r.Epoch >= after.Epoch, "partition 0 in sync on three replicas again");
    }

    /// <summary>The cluster's silos and partition 0's rows, once its three replicas are in sync (that row).</summary>
    private static async Task<(ClusterSilo[] Silos, PartitionRows Rows, PartitionRecord InSync)> InSyncAsync(TestCluster cluster)
    {
        ClusterSilo[] silos = [.. cluster.Silos.Select(s => s.Services.GetRequiredService<ClusterSilo>())];
        var rows = new PartitionRows(silos, Partition);
        return (silos, rows, await rows.WaitAsync(r => r.InSync.Count == 3, "partition 0's three replicas in sync"));
    }

    private static string KeyOf(string prefix)
        => Enumerable.Range(0, 10_000).Select(i => $"{prefix}-{i}").First(k => PartitionMap.GetPartition(new GrainId("account", k), 3) == Partition);
}
