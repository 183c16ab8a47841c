using Actors.Client;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Tests.Support;
using Actors.Demo.Grains.Accounts;

namespace Actors.Cluster.Tests.Processes;

/// <summary>Reads after failover through a resumed zombie owner (docs/replication.md, "Reads after failover: the read lease").</summary>
public sealed partial class ReplicatedSiloProcessTests
{
    private const int ReadsPerAccount = 4;

    /// <summary>
    /// s2 owns some partitions and holds their accounts active in memory; it is SIGSTOPped; once s0 or s1 leads each of
    /// its partitions under a later epoch, one more deposit per account is acknowledged through s0/s1. Only then are
    /// balance reads sent through s2's gateway and s2 resumed: each read was invoked after that deposit was acknowledged,
    /// so it must see it. The zombie's grains still hold the old balance in memory and its ownership agent has not read
    /// the new rows yet when it resumes; its replicas' read leases ran out while it was stopped, so its router makes the
    /// reads wait (then forwards them to the new owner) instead of serving them. Silo leases of 30 s keep s2 from being
    /// declared dead while stopped; a read may still fail (typed), never return a stale balance.
    /// </summary>
    [Fact]
    public async Task SigstoppedOwner_ReadsThroughItsGatewayAfterItsSuccessorAcknowledged_NoStaleBalance()
    {
        // Silo leases of 30 s (renewed every 5 s): the stopped s2 outlives its replacement and the deposits after it
        // without being declared dead, so it resumes still believing it serves its partitions until its next renewal
        // reads the new rows (the window a stale read would need).
        await using var cluster = await StartAsync(leaseDuration: TimeSpan.FromSeconds(30));
        ClusterSnapshot before = await cluster.ReadAsync();
        int[] partitions = [.. before.Partitions.Where(p => p.Owner == "s2").Select(p => p.Partition)];
        Assert.NotEmpty(partitions);
        string[] accounts = [.. partitions.Select(partition => Enumerable.Range(0, 100_000).Select(i => $"zombie-read-{i}")
            .First(key => PartitionMap.GetPartition(new GrainId(GrainTypeNames.ForClass(typeof(BankAccountGrain)), key), before.PartitionCount) == partition))];
        // Deposits give up after 5 s: s0/s1 may still forward one to the stopped s2 until their next renewal shows the new rows.
        await using IClusterClient others = await ConnectToGatewaysOnlyAsync(cluster, TimeSpan.FromSeconds(5), "s0", "s1");
        await using IClusterClient throughZombie = await ConnectToGatewaysOnlyAsync(cluster, ClientOptions.DefaultResponseTimeout, "s2");
        var acknowledged = new decimal[accounts.Length];
        var failed = new decimal[accounts.Length];
        for (int i = 0; i < accounts.Length; i++)
        {
            for (int d = 0; d < 3; d++)
            {
                await others.GetGrain<IBankAccountGrain>(accounts[i]).Deposit(1, "before");
                acknowledged[i]++;
            }

            // Active on s2 (the owner) with this balance in memory.
            Assert.Equal(acknowledged[i], (await throughZombie.GetGrain<IBankAccountGrain>(accounts[i]).GetBalance()).Balance);
        }

        await SignalAsync(cluster["s2"].ProcessId, "STOP");
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                ClusterSnapshot table = await cluster.ReadAsync();
                return partitions.All(p => table.Partitions[p].Owner is "s0" or "s1" && table.Partitions[p].Epoch > before.Partitions[p].Epoch);
            }, Limit, $"s2's partitions ({string.Join(",", partitions)}) taken over by an in-sync replica while s2 is stopped");
            for (int i = 0; i < accounts.Length; i++)
            {
                await DepositUntilAcknowledgedAsync(others.GetGrain<IBankAccountGrain>(accounts[i]), i, acknowledged, failed);
            }
        }
        finally
        {
            await SignalAsync(cluster["s2"].ProcessId, "CONT");
        }

        // Invoked after every deposit above was acknowledged (s2 resumed just before: its agent has not polled the new rows yet).
        Task<AccountBalance>[][] reads = [.. accounts.Select(account =>
            Enumerable.Range(0, ReadsPerAccount).Select(_ => throughZombie.GetGrain<IBankAccountGrain>(account).GetBalance()).ToArray())];
        int served = 0, refused = 0;
        for (int i = 0; i < accounts.Length; i++)
        {
            foreach (Task<AccountBalance> read in reads[i])
            {
                try
                {
                    decimal balance = (await read.WaitAsync(Limit)).Balance;
                    Assert.True(balance >= acknowledged[i] && balance <= acknowledged[i] + failed[i],
                        $"stale read through the resumed zombie s2: account {accounts[i]} (partition {partitions[i]}) read {balance}, "
                        + $"but {acknowledged[i]} deposits were acknowledged before the read ({failed[i]} failed)");
                    served++;
                }
                catch (Exception ex) when (ex is not TimeoutException and not Xunit.Sdk.XunitException)
                {
                    output.WriteLine($"read of {accounts[i]} through s2 failed: {ex.GetType().Name}: {ex.Message}");
                    refused++;
                }
            }
        }

        output.WriteLine($"reads through the resumed zombie s2 after its {partitions.Length} partitions were taken over: {served} served (none stale), "
            + $"{refused} failed; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Assert.True(served > 0 || !cluster["s2"].IsRunning, "no read through the resumed s2 was served although it kept running");
    }

    /// <summary>
    /// A client that sends every call to the gateways of <paramref name="names"/> (not to the partition owners' gateways
    /// its routing table would pick), so reads go through s2's router and deposits never wait on the stopped s2.
    /// </summary>
    private static async Task<IClusterClient> ConnectToGatewaysOnlyAsync(SiloProcessCluster cluster, TimeSpan responseTimeout, params string[] names)
    {
        var builder = new ClusterClientBuilder().Configure(options =>
        {
            options.RouteToPartitionOwners = false;
            options.ResponseTimeout = responseTimeout;
        });
        foreach (string name in names)
        {
            builder.UseGateway(cluster[name].GatewayEndPoint);
        }

        IClusterClient client = builder.Build();
        await client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return client;
    }

    private async Task DepositUntilAcknowledgedAsync(IBankAccountGrain account, int index, decimal[] acknowledged, decimal[] failed)
    {
        DateTime deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            try
            {
                await account.Deposit(1, "after takeover");
                acknowledged[index]++;
                return;
            }
            catch (Exception ex) when (DateTime.UtcNow < deadline)
            {
                // Outcome unknown or refused while the partition changes hands: may or may not be applied.
                failed[index]++;
                output.WriteLine($"deposit after the takeover failed: {ex.GetType().Name}: {ex.Message}");
                await Task.Delay(50);
            }
        }
    }
}
