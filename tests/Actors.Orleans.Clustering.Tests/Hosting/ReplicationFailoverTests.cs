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

/// <summary>Three in-process silos with replication factor 3: replicas on every silo, failover, fencing of a stale leader.</summary>
/// <remarks>
/// Its own PostgreSQL server (a class fixture, not the shared <see cref="PostgresCollection"/>): the failover test waits
/// out Orleans's timeouts for most of its minute, and the PostgreSQL collection's other classes run meanwhile.
/// </remarks>
public sealed class ReplicationFailoverTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private const int Partitions = 16;
    private const int Grains = 24;
    private static readonly string[] Classes = [typeof(LedgerGrain).FullName!, typeof(PlainLedgerGrain).FullName!, typeof(JournalLedgerGrain).FullName!];
    /// <summary>The log stream of grain 0's state (provider "ledger" named by the attribute-routed default, state "ledger").</summary>
    private const string LedgerStream = "s/WriteAheadLog/ledger/ledger/0";
    private readonly TempDirectory _root = new();
    private readonly string _clusterId = "rf-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Writes_ReplicationFactorThree_SurviveLeaderStopAndKillAndRestart()
    {
        var expected = new Dictionary<int, List<int>>();
        var maybe = new HashSet<int>();
        await using (TestCluster cluster = await ReplicatedTestCluster.StartAsync(_root.Path, postgres.ConnectionString, _clusterId, 3, Partitions, replicationFactor: 3, loopbackMessaging: false))
        {
            var storedOn = new Dictionary<int, string>();
            string[] silos = await Task.WhenAll(Enumerable.Range(0, Grains).Select(async i =>
            {
                string first = await Grain(cluster, i).Add(i);
                string second = await Grain(cluster, i).Add(i + 1000);
                Assert.Equal(first, second);
                return first;
            }));
            for (int i = 0; i < Grains; i++)
            {
                storedOn[i] = silos[i];
                expected[i] = [i, i + 1000];
            }

            // Every partition written to holds its entries durably on all three replicas.
            int[] used = [.. Enumerable.Range(0, Grains).Select(i => PartitionOf(cluster, i)).Distinct()];
            await WaitForAsync(() => used.All(p => DurableOnAll(cluster.Silos, p)), "every written partition's entries durable on its three replicas");

            // Stop a secondary silo leading some grains' partitions: the next calls are served by a new leader, with every acknowledged write.
            SiloHandle stopped = cluster.SecondarySilos.First(s => storedOn.ContainsValue(s.SiloAddress.ToParsableString()));
            int[] moved = [.. Enumerable.Range(0, Grains).Where(i => storedOn[i] == stopped.SiloAddress.ToParsableString())];
            await cluster.StopSiloAsync(stopped);
            await AddEverywhereAsync(cluster, expected, -1, stopped.SiloAddress.ToParsableString());

            // Kill the other secondary: one replica of three is left, below the in-sync floor (a majority, 2 of 3), so no
            // write is acknowledged: each is refused as retryable (nothing stored) or fails with its outcome unknown (it
            // waited for the killed replica); none waits for ever. Before the floor the last silo acknowledged alone.
            SiloHandle killed = cluster.SecondarySilos.Single();
            await cluster.KillSiloAsync(killed);
            foreach (int grain in await RefusedEverywhereAsync(cluster, -2))
            {
                maybe.Add(grain);
            }

            Assert.NotEmpty(moved);
            await cluster.StopAllSilosAsync();
        }

        // The same three silos (same directories, same replica numbers) read every acknowledged write back.
        await using TestCluster restarted = await ReplicatedTestCluster.StartAsync(_root.Path, postgres.ConnectionString, _clusterId, 3, Partitions, replicationFactor: 3, loopbackMessaging: false);
        for (int i = 0; i < Grains; i++)
        {
            int grain = i;
            List<int> entries = await RetryAsync(() => Grain(restarted, grain).Entries(), $"grain {grain} read after the restart");
            if (maybe.Contains(grain) && entries.Count == expected[grain].Count + 1)
            {
                expected[grain].Add(-2); // the write of unknown outcome survived on the replicas: whole, at the end
            }

            Assert.Equal(expected[grain], entries);
        }

        // With all three back, writes are acknowledged again.
        string silo = await RetryAsync(() => Grain(restarted, 0).Add(-3), "grain 0 adding -3 after the restart");
        Assert.False(string.IsNullOrEmpty(silo));
    }

    [Fact]
    public async Task Write_LeaderWhoseEpochWasTakenOver_FailsTypedAndIsNotReadAfterwards()
    {
        await using TestCluster cluster = await ReplicatedTestCluster.StartAsync(_root.Path, postgres.ConnectionString, _clusterId, 3, Partitions, replicationFactor: 3);
        ILedgerGrain grain = Grain(cluster, 0);
        string leaderAddress = await grain.Add(1);
        int partition = PartitionOf(cluster, 0);
        SiloHandle leaderSilo = cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == leaderAddress);
        int staleLeader = ReplicatedTestCluster.ReplicaId(leaderSilo);
        await WaitForAsync(() => DurableOnAll(cluster.Silos, partition), $"partition {partition}'s first write durable on its three replicas");

        // The leader is cut off from its followers, and another in-sync replica is made leader of the next epoch in the row.
        LoopbackReplicaMessaging.Cut(_clusterId, (from, to, p) => p == partition && (from == staleLeader || to == staleLeader));
        await using var catalog = new ClusterCatalog(postgres.ConnectionString, _clusterId);
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
        LoopbackReplicaMessaging.Cut(_clusterId, null);
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

    /// <summary>Adds <paramref name="entry"/> to every grain (retrying while their partitions fail over) and checks each reads back all it acknowledged.</summary>
    private static async Task AddEverywhereAsync(TestCluster cluster, Dictionary<int, List<int>> expected, int entry, string goneSilo)
    {
        for (int i = 0; i < Grains; i++)
        {
            int grain = i;
            string silo = await RetryAsync(() => Grain(cluster, grain).Add(entry), $"grain {grain} adding {entry} after silo {goneSilo} went");
            Assert.NotEqual(goneSilo, silo);
            expected[grain].Add(entry);
            Assert.Equal(expected[grain], await Grain(cluster, grain).Entries());
        }
    }

    /// <summary>
    /// Sends <paramref name="entry"/> to every grain once: each must end refused with nothing stored (the provider's
    /// retryable refusal, or Orleans's rejection of a call no activation ran: a silo gone, forwarding given up) or fail with
    /// its outcome unknown (the provider's, or the response timeout of a call waiting for a second replica); an
    /// acknowledgement or any other failure fails the test. Returns the grains whose write is of unknown outcome.
    /// </summary>
    private static async Task<int[]> RefusedEverywhereAsync(TestCluster cluster, int entry)
    {
        bool[] unknown = await Task.WhenAll(Enumerable.Range(0, Grains).Select(async grain =>
        {
            try
            {
                string silo = await Grain(cluster, grain).Add(entry);
                Assert.Fail($"grain {grain}: adding {entry} was acknowledged (by {silo}) with one replica of three left");
                return false;
            }
            catch (Exception ex) when (ex is WriteAheadLogUnavailableException or SiloUnavailableException or OrleansMessageRejectionException
                or global::Orleans.Runtime.Messaging.ConnectionFailedException)
            {
                return false;
            }
            catch (Exception ex) when (ex is WriteAheadLogOperationException { OutcomeUnknown: true } or TimeoutException)
            {
                return true;
            }
        }));
        return [.. Enumerable.Range(0, Grains).Where(i => unknown[i])];
    }

    private static int PartitionOf(TestCluster cluster, int i) => GrainPartitions.GetPartition(Grain(cluster, i).GetGrainId(), Partitions);

    /// <summary>Grain <paramref name="i"/>: [WriteAheadLog] IPersistentState, no-placement IPersistentState, [WriteAheadLog] JournaledGrain in turn.</summary>
    private static ILedgerGrain Grain(TestCluster cluster, int i) => cluster.GrainFactory.GetGrain<ILedgerGrain>(i, grainClassNamePrefix: Classes[i % 3]);

    public void Dispose() => _root.Dispose();
}
