using Actors.Cluster.Hosting;
using Actors.Cluster.Membership;
using Actors.Cluster.Replication;
using Actors.Cluster.Tests.Support;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Actors.Cluster.Tests.Replication;

/// <summary>
/// Checkpoints in the silos: three silos with replication factor 3 whose replicas checkpoint their partitions'
/// materialized logs every few entries and delete their entry logs' prefixes. A silo kept down while the leaders did so
/// comes back, its replicas take the leaders' checkpoints through the silo transport and rejoin the in-sync sets, and
/// once it is the only replica left it serves every acknowledged deposit.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicatedCheckpointClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task FollowerDownWhileLeadersCheckpointed_Restarted_InstallsTheirCheckpointsAndAfterFailoverToItServesEveryAcknowledgedDeposit()
    {
        // Two partitions on three silos: one silo leads none, so keeping it down moves no partition. Small checkpoints:
        // prefixes are deleted within a few hundred deposits.
        await using TestCluster cluster = await TestClusters.DeployReplicatedAsync(3, partitionCount: 2, o => SmallCheckpoints.Apply(o.Replication));
        var writers = new AccountWriters(cluster.Client, 12, "checkpointed");
        writers.Start();
        await Eventually.TrueAsync(() => writers.AcknowledgedCount >= 100, Patience, "100 deposits acknowledged");
        await Eventually.TrueAsync(() => LiveSnapshot(cluster).Partitions.All(p => p.InSync.Count == 3), Patience, "every partition's replicas in sync");

        ClusterSnapshot before = LiveSnapshot(cluster);
        SiloHandle follower = cluster.Silos.Single(s => before.Partitions.All(p => p.Owner != s.Name));
        SiloHandle[] leaders = [.. cluster.Silos.Where(s => s != follower)];
        int[] partitions = [.. before.Partitions.Select(p => p.Partition)];
        Dictionary<int, long> endAtKill = partitions.ToDictionary(p => p, p => Replicas(follower).StatusOf(p)!.EndLsn);
        await cluster.KillSiloAsync(follower);

        // Every leader checkpoints and deletes entry-log segments past everything the killed follower holds.
        await Eventually.TrueAsync(
            () => partitions.All(p => LeaderReplica(cluster, p) is { } leader
                && leader.Host.Status.StartLsn > endAtKill[p] && leader.Host.Counters.SegmentsDeleted > 0 && leader.Applier.CheckpointsTaken > 0),
            Patience,
            $"every partition's leader checkpointing past the killed follower's logs (ends {string.Join(", ", endAtKill)})");

        await Eventually.TrueAsync(() => LiveSnapshot(cluster).Partitions.All(p => !p.InSync.Contains(follower.Name)), Patience,
            $"{follower.Name} dropped from every in-sync set");
        await cluster.RestartSiloAsync(follower);
        await Eventually.TrueAsync(() => LiveSnapshot(cluster).Partitions.All(p => p.InSync.Count == 3), Patience,
            $"{follower.Name}'s replicas taking the leaders' checkpoints and rejoining every in-sync set");
        foreach (int p in partitions)
        {
            (ReplicaHost host, CommittedEntryApplier applier) = Replicas(follower).ReplicaOf(p)!.Value;
            Assert.True(host.Counters.CheckpointsInstalled >= 1, $"{follower.Name}'s replica of partition {p} took no checkpoint: {host.Counters}");
            Assert.True(host.Status.StartLsn > endAtKill[p], $"{follower.Name}'s replica of partition {p}: {host.Status}");
            Assert.True(applier.RestoredFromLsn > endAtKill[p], $"{follower.Name}'s materialized log of partition {p} rebuilt from LSN {applier.RestoredFromLsn}");
        }

        // The returned follower is the only replica left: it takes every partition over and serves it.
        long acknowledgedBeforeFailover = writers.AcknowledgedCount;
        foreach (SiloHandle leader in leaders)
        {
            await cluster.KillSiloAsync(leader);
        }

        await Eventually.TrueAsync(() => Snapshot(follower).Partitions.All(p => p.Owner == follower.Name), Patience,
            $"{follower.Name} taking over every partition");
        await Eventually.TrueAsync(() => writers.AcknowledgedCount >= acknowledgedBeforeFailover + 50, Patience, "50 more deposits acknowledged after the failover");
        await writers.StopAsync();

        output.WriteLine($"{follower.Name} kept down at LSNs {string.Join(", ", endAtKill)}; after its return: "
            + string.Join("; ", partitions.Select(p => Describe(Replicas(follower).ReplicaOf(p)!.Value, p)))
            + $"; {writers.AcknowledgedCount} deposits acknowledged, {writers.Errors.Count} failed; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        // Every acknowledged deposit, each once and in order (an entry applied twice around a checkpoint would store a
        // deposit twice, one skipped would lose it), now served by the returned follower alone.
        await writers.VerifyAsync();
    }

    private static string Describe((ReplicaHost Host, CommittedEntryApplier Applier) replica, int partition)
        => $"partition {partition} log from LSN {replica.Host.Status.StartLsn} to {replica.Host.Status.EndLsn}, "
            + $"{replica.Host.Counters.CheckpointsInstalled} checkpoints installed, rebuilt from LSN {replica.Applier.RestoredFromLsn}, {replica.Applier.CheckpointsTaken} taken";

    private static PartitionReplicas Replicas(SiloHandle silo) => silo.Services.GetRequiredService<ClusterSilo>().Replicas;

    private static ClusterSnapshot Snapshot(SiloHandle silo) => silo.Services.GetRequiredService<IClusterView>().Snapshot!;

    /// <summary>The cluster as a running silo sees it (the silo kept down may be the primary).</summary>
    private static ClusterSnapshot LiveSnapshot(TestCluster cluster) => Snapshot(cluster.Silos.First(s => s.IsRunning));

    private static (ReplicaHost Host, CommittedEntryApplier Applier)? LeaderReplica(TestCluster cluster, int partition)
        => LiveSnapshot(cluster).Partitions[partition].Owner is { } owner && cluster.Silos.FirstOrDefault(s => s.Name == owner && s.IsRunning) is { } silo
            ? Replicas(silo).ReplicaOf(partition)
            : null;
}
