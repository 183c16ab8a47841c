using Actors.Orleans.Clustering.Replication;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Replication.Wal;
using Orleans.Runtime;
using Orleans.TestingHost;
using static Actors.Orleans.Clustering.Tests.Support.ReplicatedClusterWaits;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>Three in-process silos with replication factor 3: a leader stopped, then a second silo killed, then all restarted.</summary>
/// <remarks>Its fencing counterpart is <see cref="EpochFencingTests"/>: a class each, so that the two run at the same time.</remarks>
[StartsFirst]   // the longest class of the assembly (a stop, a kill and a restart of three silos)
public sealed class ReplicationFailoverTests(PostgresDatabase postgres) : ReplicationFactorThreeTestBase(postgres)
{
    [Fact]
    public async Task Writes_ReplicationFactorThree_SurviveLeaderStopAndKillAndRestart()
    {
        var expected = new Dictionary<int, List<int>>();
        var maybe = new HashSet<int>();
        await using (TestCluster cluster = await StartClusterAsync(loopbackMessaging: false))
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

            // Each silo's replicas tick by the silo's one ticker (one timer for all of them), not by a timer each.
            Assert.All(cluster.Silos, silo =>
            {
                HeldReplica[] held = [.. ReplicatedTestCluster.Replicas(silo).Held];
                Assert.NotEmpty(held);
                ReplicaTicker? ticker = held[0].Host.Ticker;
                Assert.NotNull(ticker);
                Assert.All(held, h => Assert.Same(ticker, h.Host.Ticker));
                Assert.Equal(held.Length, ticker.Subscribers);
            });

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
        await using TestCluster restarted = await StartClusterAsync(loopbackMessaging: false);
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

        // Checked: killed, not stopped gracefully by the disposal (see ReplicatedTestCluster.KillAllAsync).
        await ReplicatedTestCluster.KillAllAsync(restarted);
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
}
