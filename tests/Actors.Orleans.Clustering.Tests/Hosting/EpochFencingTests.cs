using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Storage;
using Actors.Orleans.Clustering.Tests.Grains;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Replication;
using Actors.Wal;
using Orleans.Runtime;
using Orleans.TestingHost;
using static Actors.Orleans.Clustering.Tests.Support.ReplicatedClusterWaits;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>Three in-process silos with replication factor 3: a leader whose epoch another replica took over is fenced.</summary>
/// <remarks>Its failover counterpart is <see cref="ReplicationFailoverTests"/>: a class each, so that the two run at the same time.</remarks>
public sealed class EpochFencingTests(PostgresDatabase postgres) : ReplicationFactorThreeTestBase(postgres)
{
    [Fact]
    public async Task Write_LeaderWhoseEpochWasTakenOver_FailsTypedAndIsNotReadAfterwards()
    {
        await using TestCluster cluster = await StartClusterAsync();
        ILedgerGrain grain = Grain(cluster, 0);
        string leaderAddress = await grain.Add(1);
        int partition = PartitionOf(cluster, 0);
        SiloHandle leaderSilo = cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == leaderAddress);
        int staleLeader = ReplicatedTestCluster.ReplicaId(leaderSilo);
        await WaitForAsync(() => DurableOnAll(cluster.Silos, partition), $"partition {partition}'s first write durable on its three replicas");

        // The leader is cut off from its followers, and another in-sync replica is made leader of the next epoch in the row.
        LoopbackReplicaMessaging.Cut(ClusterId, (from, to, p) => p == partition && (from == staleLeader || to == staleLeader));
        await using var catalog = new ClusterCatalog(Postgres.ConnectionString, ClusterId);
        ReplicaId successor = await PartitionTakeOver.TakeOverAsync(catalog, partition, staleLeader);

        // The stale leader's write is refused or fails with its outcome unknown: either way typed, never acknowledged. On a
        // loaded machine the stale leader can learn of the new epoch and deactivate its activation before the write
        // arrives; Orleans then activates the grain there again, the refusal at activation makes Orleans forward the call,
        // and the new leader acknowledges it: acknowledged, but never by the stale leader.
        string? acknowledgedBy = null;
        try
        {
            acknowledgedBy = await grain.Add(2);
        }
        catch (WriteAheadLogProviderException failure)
        {
            Assert.True(
                failure is WriteAheadLogUnavailableException || failure is WriteAheadLogOperationException { OutcomeUnknown: true },
                $"expected a refusal or an outcome-unknown failure, got {failure.GetType().Name}: {failure.Message}");
        }

        Assert.NotEqual(leaderAddress, acknowledgedBy);

        // The failed write took the stale leader's activations of the partition with it (their memory may hold the write).
        PartitionActivations staleActivations = ReplicatedTestCluster.Activations(leaderSilo);
        await WaitForAsync(() => staleActivations.Count(partition) == 0, $"the activations of partition {partition} on the stale leader deactivated");

        // Healed, the partition is served by the new epoch's leader, which holds the first write, and the second only when the new leader acknowledged it.
        LoopbackReplicaMessaging.Cut(ClusterId, null);
        SiloHandle successorSilo = cluster.Silos.Single(s => ReplicatedTestCluster.ReplicaId(s) == successor.Value);
        IEventLog served = await RetryAsync(async () => await ReplicatedTestCluster.Resolver(successorSilo).GetLogAsync(grain.GetGrainId()), "the new leader serving the partition");
        Assert.Equal(acknowledgedBy is null ? 1 : 2, served.GetStreamInfo(LedgerStream).Version);

        // Only the leader serves the partition: the old leader and the other follower refuse, reading and storing nothing,
        // and (once each has heard of the new epoch: the healed old leader learns it from the new leader's messages or the
        // row, later on a loaded machine) their refusals name the new leader.
        foreach (SiloHandle follower in cluster.Silos.Where(s => ReplicatedTestCluster.ReplicaId(s) != successor.Value))
        {
            await RefusesNamingAsync(ReplicatedTestCluster.Resolver(follower), grain.GetGrainId(), $"partition {partition}, led by replica {successor.Value}");
        }

        // Checked: killed, not stopped gracefully by the disposal (see ReplicatedTestCluster.KillAllAsync).
        await ReplicatedTestCluster.KillAllAsync(cluster);
    }

    /// <summary>Calls <paramref name="resolver"/> until its refusal contains <paramref name="leaderText"/>; every call must be refused.</summary>
    private static async Task RefusesNamingAsync(PartitionedGrainLogResolver resolver, GrainId grain, string leaderText)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var refused = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(async () => await resolver.GetLogAsync(grain));
            if (refused.Message.Contains(leaderText, StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"expected a refusal naming '{leaderText}' within {Patience}, the last was: {refused.Message}");
            await Task.Delay(20);
        }
    }
}
