using Actors.Cluster.Hosting;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Replication;
using Actors.Cluster.Tests.Grains;
using Actors.Cluster.Tests.Support;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Actors.Cluster.Tests.Replication;

/// <summary>
/// Three silos with replication factor 3: every partition's writes go through its replicas on all three silos, and when
/// a partition's owner is killed an in-sync replica takes it over and serves every acknowledged write.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicatedClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task OwnerKilled_UnderDurableLoad_InSyncReplicaServesEveryAcknowledgedDeposit()
    {
        await using TestCluster cluster = await TestClusters.DeployReplicatedAsync(3, partitionCount: 6);
        IClusterView view = cluster.Primary.Services.GetRequiredService<IClusterView>();
        string[] silos = [.. cluster.Silos.Select(s => s.Name).Order(StringComparer.Ordinal)];
        Assert.All(view.Snapshot!.Partitions, row =>
        {
            Assert.Equal(silos, row.Replicas.Order(StringComparer.Ordinal));
            Assert.Equal(row.Owner, row.Replicas[0]);
        });
        var writers = new AccountWriters(cluster.Client, 24, "replicated");
        writers.Start();
        await Eventually.TrueAsync(() => writers.AcknowledgedCount >= 300, Patience, "300 deposits acknowledged before the kill");

        // Only an in-sync replica may take over: wait until every follower caught up after starting (the leaders dropped
        // the followers that started after the claim, and add them back once they hold every acknowledged entry).
        await Eventually.TrueAsync(() => view.Snapshot!.Partitions.All(p => p.InSync.Count == 3), Patience,
            "every partition's replicas in sync before the kill");
        SiloHandle victim = cluster.Silos[1];
        ClusterSnapshot beforeKill = view.Snapshot!;
        int[] victimPartitions = [.. beforeKill.Partitions.Where(p => p.Owner == victim.Name).Select(p => p.Partition)];
        Assert.NotEmpty(victimPartitions);
        // The writes went through replication: every silo holds a replica of every partition, each with committed entries.
        foreach (SiloHandle silo in cluster.Silos)
        {
            PartitionReplicas replicas = silo.Services.GetRequiredService<ClusterSilo>().Replicas;
            Assert.All(beforeKill.Partitions, row => Assert.True(replicas.StatusOf(row.Partition) is { CommittedLsn: > 0 },
                $"{silo.Name}'s replica of partition {row.Partition}: {replicas.StatusOf(row.Partition)}"));
        }

        await cluster.KillSiloAsync(victim);
        var killedAt = System.Diagnostics.Stopwatch.StartNew();
        long acknowledgedAtKill = writers.AcknowledgedCount;

        await Eventually.TrueAsync(
            () => victimPartitions.All(p => view.Snapshot!.Partitions[p] is { Owner: { } owner } && owner != victim.Name),
            Patience, $"the killed owner's partitions ({string.Join(",", victimPartitions)}) taken over by an in-sync replica");
        TimeSpan takenOver = killedAt.Elapsed;
        await Eventually.TrueAsync(() => writers.AcknowledgedCount >= acknowledgedAtKill + 300, Patience, "300 more deposits acknowledged after the kill");
        await writers.StopAsync();
        foreach (int p in victimPartitions)
        {
            PartitionRecord row = view.Snapshot!.Partitions[p];
            Assert.True(row.Epoch > beforeKill.Partitions[p].Epoch && beforeKill.Partitions[p].InSync.Contains(row.Owner!), $"taken over under a new epoch by an in-sync replica: {row}");
        }

        output.WriteLine($"partitions {string.Join(",", victimPartitions)} of {victim.Name} taken over {takenOver.TotalMilliseconds:N0} ms after the kill; "
            + $"{writers.AcknowledgedCount} deposits acknowledged, {writers.Errors.Count} calls failed (outcome unknown or refused during the failover); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        foreach (IGrouping<string, Exception> failures in writers.Errors.GroupBy(e => e.GetType().Name))
        {
            output.WriteLine($"  {failures.Count()} x {failures.Key}: {failures.First().Message}");
        }

        await writers.VerifyAsync();
        string[] onVictimPartitions = [.. Enumerable.Range(0, 24).Select(w => $"replicated-{w}")
            .Where(a => victimPartitions.Contains(PartitionMap.GetPartition(new GrainId("account", a), view.Snapshot!.PartitionCount)))];
        Assert.NotEmpty(onVictimPartitions);
        foreach (string account in onVictimPartitions)
        {
            IAccountGrain grain = cluster.Client.GetGrain<IAccountGrain>(account);
            AccountSnapshot before = await grain.Get();
            await grain.Deposit(1, before.Sequences.Count == 0 ? 1 : before.Sequences[^1] + 1);
            Assert.Equal(before.Sequences.Count + 1, (await grain.Get()).Sequences.Count);
        }
    }
}
