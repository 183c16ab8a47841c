using System.Runtime.CompilerServices;
using Actors.Cluster.Hosting;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Tests.Grains;
using Actors.Wal;
using static Actors.Cluster.Tests.Support.TestClusters;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>
/// A partition whose open fails on the silo it was granted to (docs/replication.md, "Opening a partition"): a transient
/// failure is retried and the calls that arrived meanwhile wait for it; a permanent one (a corrupted log) is a typed
/// error naming the partition and the cause, never an empty partition.
/// </summary>
public sealed class PartitionOpenFailureTests
{
    [Fact]
    public async Task PartitionOpen_TransientIoErrorWritingTheEpochRecord_RetriedAndWaitingCallServed()
    {
        // Calls wait for the partition as long as the suite's patience: the retry is a reconcile pass away, whatever the load.
        await using TestCluster cluster = await DeployBalancedAsync(2, b => b.Options.ConfigureClusterOptions = o => o.PartitionWaitTimeout = Patience);
        (ClusterSilo owner, ClusterSilo grantee, int partition, IAccountGrain account) = await Setup(cluster);
        var failedOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int attempts = 0;
        grantee.Logs.BeforeEpochRecord = (p, _) =>
        {
            if (p == partition && Interlocked.Increment(ref attempts) == 1)
            {
                failedOnce.TrySetResult();
                throw new IOException("injected: No space left on device");
            }

            return Task.CompletedTask;
        };

        await owner.HandOff.HandOffAsync(partition, grantee.SiloName, CancellationToken.None).WaitAsync(Patience);
        await failedOnce.Task.WaitAsync(Patience);

        // A call that arrives while the grantee cannot open the partition waits for it instead of failing.
        Assert.Equal(2, await account.Deposit(5, 2));
        Assert.True(Volatile.Read(ref attempts) >= 2, $"the open of partition {partition} was retried ({attempts} attempts)");
        AccountSnapshot snapshot = await account.Get();
        Assert.Equal(15, snapshot.Balance);
        Assert.Equal([1L, 2L], snapshot.Sequences);
    }

    [Fact]
    public async Task PartitionOpen_LogCorrupted_UnavailableNamingPartitionAndCauseNotRetried()
    {
        await using TestCluster cluster = await DeployBalancedAsync(2);
        (_, ClusterSilo grantee, int partition, IAccountGrain account, StrongBox<int> attempts) = await HandOffIntoCorruptedOpenAsync(cluster);

        PartitionUnavailableException error = await Assert.ThrowsAsync<PartitionUnavailableException>(() => account.Get());
        Assert.Equal(partition, error.Partition);
        Assert.Contains("corrupted at offset 4096", error.Message, StringComparison.Ordinal);
        await grantee.Ownership.ReconcileAsync(CancellationToken.None);
        await grantee.Ownership.ReconcileAsync(CancellationToken.None);
        Assert.Equal(1, Volatile.Read(ref attempts.Value));
    }

    [Fact]
    public async Task Leave_OwningAPartitionLostHere_LeavesTheClusterKeepingThatPartition()
    {
        // Before, the leave waited for a hand-off that cannot happen (nothing to hand: the open failed for good) until the
        // grace period ran out, and the silo never reached Left.
        await using TestCluster cluster = await DeployBalancedAsync(2);
        (ClusterSilo owner, ClusterSilo grantee, int partition, _, _) = await HandOffIntoCorruptedOpenAsync(cluster);

        await cluster.StopSiloAsync(cluster.Silos.Single(s => s.Name == grantee.SiloName));

        ClusterSnapshot snapshot = await owner.Membership.RefreshAsync(CancellationToken.None);
        Assert.Equal(SiloStatus.Left, snapshot.FindSilo(grantee.SiloName)!.Status);
        Assert.Equal(grantee.SiloName, snapshot.Partitions[partition].Owner);
        Assert.DoesNotContain(snapshot.Partitions, p => p.Partition != partition && p.Owner == grantee.SiloName);
    }

    /// <summary>
    /// <see cref="Setup"/>, then the partition is handed to the other silo, whose every open of it throws
    /// <see cref="LogCorruptedException"/> (counted in Attempts); returns once that silo reports it lost.
    /// </summary>
    private static async Task<(ClusterSilo Owner, ClusterSilo Grantee, int Partition, IAccountGrain Account, StrongBox<int> Attempts)> HandOffIntoCorruptedOpenAsync(TestCluster cluster)
    {
        (ClusterSilo owner, ClusterSilo grantee, int partition, IAccountGrain account) = await Setup(cluster);
        var attempts = new StrongBox<int>();
        grantee.Logs.BeforeEpochRecord = (p, _) =>
        {
            if (p == partition)
            {
                Interlocked.Increment(ref attempts.Value);
                throw new LogCorruptedException("/injected/00000001.seg", 4096, "injected: a record's CRC32C does not match");
            }

            return Task.CompletedTask;
        };

        await owner.HandOff.HandOffAsync(partition, grantee.SiloName, CancellationToken.None).WaitAsync(Patience);
        await Eventually.TrueAsync(() => grantee.Ownership.StateOf(partition).State == LocalPartitionState.Lost, Patience, $"partition {partition} reported lost by {grantee.SiloName}");
        return (owner, grantee, partition, account, attempts);
    }

    /// <summary>One deposit acknowledged on an account of a partition of the first silo's; that silo and the other.</summary>
    private static async Task<(ClusterSilo Owner, ClusterSilo Grantee, int Partition, IAccountGrain Account)> Setup(TestCluster cluster)
    {
        ClusterSilo[] silos = [.. cluster.Silos.Select(s => s.Services.GetRequiredService<ClusterSilo>())];
        ClusterSnapshot snapshot = await silos[0].Membership.RefreshAsync(CancellationToken.None);
        int partition = snapshot.Partitions.First(p => p.Owner == silos[0].SiloName).Partition;
        string key = Enumerable.Range(0, 10_000).Select(i => $"open-failure-{i}").First(k => PartitionMap.GetPartition(new GrainId("account", k), snapshot.PartitionCount) == partition);
        IAccountGrain account = cluster.Client.GetGrain<IAccountGrain>(key);
        Assert.Equal(1, await account.Deposit(10, 1));
        return (silos[0], silos[1], partition, account);
    }
}
