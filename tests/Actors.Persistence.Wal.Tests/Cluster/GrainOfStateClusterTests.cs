using Actors.Hosting;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>Grain&lt;TState&gt; through the write-ahead-log provider: the default store, a named one, kills and clears.</summary>
[Trait("Category", "Integration")]
public sealed class GrainOfStateClusterTests
{
    [Fact]
    public async Task WriteStateAsync_DefaultWalStore_StateSurvivesKill()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(configureSilo: silo => silo.AddGrain<TallyGrain>());
        await cluster.Client.GetGrain<ITallyGrain>("t").Add("a");
        await cluster.Client.GetGrain<ITallyGrain>("t").Add("b");

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        TallySnapshot after = await cluster.Client.GetGrain<ITallyGrain>("t").Get();

        Assert.Equal(2, after.Count);
        Assert.Equal(["a", "b"], after.Labels);
        Assert.Equal(2, WalCluster.Store(cluster).Log!.GetStreamInfo("tally/t").Version);
    }

    [Fact]
    public async Task ClearStateAsync_ThenKill_NextActivationHasANewState()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(configureSilo: silo => silo.AddGrain<TallyGrain>());
        await cluster.Client.GetGrain<ITallyGrain>("c").Add("a");

        TallySnapshot cleared = await cluster.Client.GetGrain<ITallyGrain>("c").Clear();
        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);

        TallySnapshot after = await cluster.Client.GetGrain<ITallyGrain>("c").Get();
        Assert.Equal((0, 0), (cleared.Count, after.Count));
        Assert.Empty(after.Labels);
    }

    [Fact]
    public async Task StorageProviderAttribute_NamedWalStore_HoldsTheState()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(configureSilo: silo =>
        {
            silo.AddGrain<AuditTallyGrain>();
            WalCluster.AddSecondStore(silo, "audit");
        });

        await cluster.Client.GetGrain<IAuditTallyGrain>("n").Add("x");

        Assert.Equal((1L, 0L), (WalCluster.Store(cluster, "audit").Log!.GetStreamInfo("audittally/n").Version, WalCluster.Store(cluster).Log!.GetStreamInfo("audittally/n").Version));
    }
}
