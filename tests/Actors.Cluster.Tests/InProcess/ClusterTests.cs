using Actors.Cluster.Messaging;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Tests.Grains;
using static Actors.Cluster.Tests.Support.TestClusters;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>Several in-process silos (TestCluster) over the in-memory cluster store and real loopback messaging.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task VolatileGrain_CalledThroughEverySilo_OneActivation()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(3);

        var calls = new List<Task<ActivationInfo>>();
        foreach (SiloHandle silo in cluster.Silos)
        {
            IGrainFactory factory = silo.Services.GetRequiredService<IGrainFactory>();
            for (int i = 0; i < 20; i++)
            {
                calls.Add(factory.GetGrain<IVolatileCounterGrain>($"g{i}").Touch());
            }
        }

        ActivationInfo[] results = await Task.WhenAll(calls);
        foreach (IGrouping<int, ActivationInfo> grain in results.Select((r, i) => (r, i)).GroupBy(x => x.i % 20, x => x.r))
        {
            Assert.Single(grain.Select(r => r.ActivationId).Distinct());
        }

    }

    [Fact]
    public async Task Placement_PreferLocalAndHashBased_FollowTheirRules()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(3);

        foreach (SiloHandle silo in cluster.Silos)
        {
            ActivationInfo local = await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ILocalCounterGrain>("from-" + silo.Name).Touch();
            Assert.Equal(silo.Name, local.Silo);
        }

        string[] hashed = await Task.WhenAll(cluster.Silos.Select(s => s.Services.GetRequiredService<IGrainFactory>().GetGrain<IHashedCounterGrain>("h").Touch()))
            .ContinueWith(t => t.Result.Select(r => r.Silo).ToArray(), TaskScheduler.Default);
        Assert.Single(hashed.Distinct());
    }

    [Fact]
    public async Task DurableGrain_RunsOnItsPartitionOwner_AndKeepsEveryDeposit()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(3);
        IClusterView view = cluster.Primary.Services.GetRequiredService<IClusterView>();
        await WaitForBalanceAsync(cluster);

        for (int a = 0; a < 12; a++)
        {
            IAccountGrain account = cluster.Client.GetGrain<IAccountGrain>($"acc{a}");
            await account.Deposit(10, 1);
            await account.Deposit(5, 2);
            AccountSnapshot snapshot = await account.Get();
            int partition = PartitionMap.GetPartition(new GrainId("account", $"acc{a}"), view.Snapshot!.PartitionCount);
            Assert.Equal(15, snapshot.Balance);
            Assert.Equal(view.Snapshot.Partitions[partition].Owner, snapshot.Silo);
        }
    }

    [Fact]
    public async Task JoinAndLeave_UnderDurableLoad_EveryAcknowledgedDepositKeptAndOneActivation()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(2);
        var writers = new AccountWriters(cluster.Client, 16, "load");
        var tracked = new CancellationTokenSource();
        Task volatileLoad = TouchTrackedGrainsAsync(cluster, tracked.Token);
        writers.Start();
        await Eventually.TrueAsync(() => writers.AcknowledgedCount > 100, Patience, "100 deposits before the join");

        SiloHandle joined = await cluster.StartAdditionalSiloAsync();
        await WaitForBalanceAsync(cluster);
        long afterJoin = writers.AcknowledgedCount;
        await Eventually.TrueAsync(() => writers.AcknowledgedCount > afterJoin + 100, Patience, "100 deposits after the join");

        await cluster.StopSiloAsync(cluster.Silos[1]);
        long afterLeave = writers.AcknowledgedCount;
        await Eventually.TrueAsync(() => writers.AcknowledgedCount > afterLeave + 100, Patience, "100 deposits after the leave");
        await writers.StopAsync();
        await tracked.CancelAsync();
        await volatileLoad;

        Assert.True(joined.Services.GetRequiredService<IClusterView>().LocalPartitions.Contains(LocalPartitionState.Serving), "the joined silo serves no partition");
        Assert.Empty(writers.Errors.Select(e => e.GetType().Name + ": " + e.Message));
        await writers.VerifyAsync();
        Assert.Empty(ActivationRegistry.Violations);
    }

    [Fact]
    public async Task KilledOwner_CallsFailFastTyped_ThenRestartRecoversEveryDeposit()
    {
        await using TestCluster cluster = await TestClusters.DeployBalancedAsync(3);
        IClusterView view = cluster.Primary.Services.GetRequiredService<IClusterView>();
        string victim = cluster.Silos[1].Name;
        string[] accounts = Enumerable.Range(0, 40).Select(i => $"k{i}").ToArray();
        foreach (string account in accounts)
        {
            await cluster.Client.GetGrain<IAccountGrain>(account).Deposit(1, 1);
        }

        string[] onVictim = accounts.Where(a => view.Snapshot!.Partitions[PartitionMap.GetPartition(new GrainId("account", a), view.Snapshot.PartitionCount)].Owner == victim).ToArray();
        Assert.NotEmpty(onVictim);

        await cluster.KillSiloAsync(cluster.Silos[1]);
        await Eventually.TrueAsync(() => view.Snapshot!.FindSilo(victim)!.Status == SiloStatus.Dead, TimeSpan.FromSeconds(20), $"{victim} declared dead");
        var started = DateTime.UtcNow;
        PartitionUnavailableException error = await Assert.ThrowsAsync<PartitionUnavailableException>(() => cluster.Client.GetGrain<IAccountGrain>(onVictim[0]).Deposit(1, 2));
        TimeSpan failedAfter = DateTime.UtcNow - started;

        Assert.Equal(victim, error.Owner);
        Assert.Equal(PartitionMap.GetPartition(new GrainId("account", onVictim[0]), view.Snapshot!.PartitionCount), error.Partition);
        Assert.True(failedAfter < TimeSpan.FromSeconds(5), $"the call failed after {failedAfter}, not fast");
        string other = accounts.Except(onVictim).First();
        Assert.Equal(2, (await cluster.Client.GetGrain<IAccountGrain>(other).Deposit(1, 2)));

        await cluster.RestartSiloAsync(cluster.Silos[1]);
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await Task.WhenAll(onVictim.Select(a => cluster.Client.GetGrain<IAccountGrain>(a).Get()));
                return true;
            }
            catch (PartitionUnavailableException)
            {
                return false;
            }
        }, Patience, "the victim's partitions served again after its restart");
        foreach (string account in onVictim)
        {
            AccountSnapshot snapshot = await cluster.Client.GetGrain<IAccountGrain>(account).Get();
            Assert.Contains(1L, snapshot.Sequences);
        }
    }

    [Fact]
    public async Task MembershipRowEditedToDead_SiloStopsServingAtOnce()
    {
        await using TestCluster cluster = await TestClusters.DeployAsync(2);
        SiloHandle victim = cluster.Silos[1];
        IClusterView victimView = victim.Services.GetRequiredService<IClusterView>();
        InMemoryClusterStore store = cluster.ClusterStore!;
        ClusterSnapshot snapshot = await store.ReadAsync(cluster.Options.ClusterId, CancellationToken.None);
        SiloRecord row = snapshot.FindSilo(victim.Name)!;

        Assert.True(await store.TryApplyAsync(cluster.Options.ClusterId, new ClusterUpdate().Write(row with { Status = SiloStatus.Dead }, row.Version), CancellationToken.None));
        await Eventually.TrueAsync(() => victimView.IsDeclaredDead, TimeSpan.FromSeconds(10), "the silo learns it was declared dead");

        Assert.False(victimView.IsMember);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => victim.Services.GetRequiredService<IGrainFactory>().GetGrain<IVolatileCounterGrain>("x").Touch());
    }

    private static Task WaitForBalanceAsync(TestCluster cluster) => cluster.WaitForPartitionsBalancedAsync(Patience);

    private static async Task TouchTrackedGrainsAsync(TestCluster cluster, CancellationToken stop)
    {
        int i = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await cluster.Client.GetGrain<ITrackedGrain>($"t{i++ % 30}").Touch();
            }
            catch (SiloUnavailableException)
            {
                // A silo stopping refuses outside calls; the next call goes elsewhere.
            }
            catch (SiloUnreachableException ex) when (!ex.NotDelivered)
            {
                // A touch still running on the leaving silo at its drain deadline (5 s) has an unknown outcome and fails
                // (docs/cluster.md, graceful close); seen once on a loaded machine. These touches only keep activations
                // busy: what the test checks is the deposits and the activation registry.
            }
        }
    }
}
