using System.Diagnostics;
using Actors.Client;
using Actors.Cluster.Membership;
using Actors.Cluster.Tests.Support;
using Actors.Demo.Grains.Accounts;
using Xunit.Abstractions;

namespace Actors.Cluster.Tests.Processes;

/// <summary>
/// Three silo processes of the silo program over a real PostgreSQL 15 with replication factor 3: a partition owner killed
/// with SIGKILL under durable load is replaced by an in-sync replica, and every acknowledged deposit is served.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReplicatedSiloProcessTests(PostgresServer server, ITestOutputHelper output)
{
    private const int Accounts = 16;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SigkilledOwner_ReplicationFactorThree_InSyncReplicaServesEveryAcknowledgedDeposit()
    {
        await using var cluster = new SiloProcessCluster(server.ConnectionString, output) { ReplicationFactor = 3 };
        await Task.WhenAll(cluster.StartAsync("s0"), cluster.StartAsync("s1"), cluster.StartAsync("s2"));
        await cluster.SettledAsync("s0", "s1", "s2");
        await Eventually.TrueAsync(async () => (await cluster.ReadAsync()).Partitions.All(p => p.Replicas.Count == 3 && p.InSync.Count == 3), Limit,
            "every partition replicated on the three silos, all in sync");
        await using IClusterClient client = await cluster.ConnectAsync("s0");
        long[] acknowledged = new long[Accounts];
        long[] failed = new long[Accounts];
        using var stop = new CancellationTokenSource();
        Task[] writers = [.. Enumerable.Range(0, Accounts).Select(i => Task.Run(async () =>
        {
            IBankAccountGrain account = client.GetGrain<IBankAccountGrain>($"replicated-{i}");
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await account.Deposit(1, "deposit");
                    Interlocked.Increment(ref acknowledged[i]);
                }
                catch (Exception ex)
                {
                    // Outcome unknown (the call was in flight on the killed silo) or refused: not counted as acknowledged.
                    Interlocked.Increment(ref failed[i]);
                    output.WriteLine($"deposit on account {i} failed: {ex.GetType().Name}: {ex.Message}");
                    await Task.Delay(50);
                }
            }
        }))];
        await Eventually.TrueAsync(() => acknowledged.Sum() >= 200, Limit, "200 deposits acknowledged before the kill");

        ClusterSnapshot beforeKill = await cluster.ReadAsync();
        int[] killedPartitions = [.. beforeKill.Partitions.Where(p => p.Owner == "s2").Select(p => p.Partition)];
        Assert.NotEmpty(killedPartitions);
        await cluster["s2"].KillAsync();
        var sinceKill = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () =>
        {
            ClusterSnapshot table = await cluster.ReadAsync();
            return killedPartitions.All(p => table.Partitions[p].Owner is "s0" or "s1");
        }, Limit, $"the killed owner's partitions ({string.Join(",", killedPartitions)}) taken over by an in-sync replica");
        TimeSpan takenOver = sinceKill.Elapsed;
        long atTakeover = acknowledged.Sum();
        await Eventually.TrueAsync(() => acknowledged.Sum() >= atTakeover + 200, Limit, "200 more deposits acknowledged after the takeover");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        for (int i = 0; i < Accounts; i++)
        {
            decimal balance = (await client.GetGrain<IBankAccountGrain>($"replicated-{i}").GetBalance()).Balance;
            Assert.InRange(balance, acknowledged[i], acknowledged[i] + failed[i]);
        }

        output.WriteLine($"partitions {string.Join(",", killedPartitions)} taken over {takenOver.TotalMilliseconds:N0} ms after SIGKILL; "
            + $"{acknowledged.Sum()} deposits acknowledged, {failed.Sum()} failed; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }
}
