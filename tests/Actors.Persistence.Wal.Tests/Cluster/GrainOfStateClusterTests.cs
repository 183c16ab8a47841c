using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

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
        WriteAheadLogStore store = cluster.Primary.Services.GetRequiredKeyedService<WriteAheadLogStore>(WriteAheadLogStore.DefaultStoreName);
        Assert.Equal(2, store.Log!.GetStreamInfo("tally/t").Version);
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
            silo.AddWriteAheadLog("audit", o =>
            {
                o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, "audit");
                o.PreallocateSegments = false;
            });
        });

        await cluster.Client.GetGrain<IAuditTallyGrain>("n").Add("x");

        WriteAheadLogStore audit = cluster.Primary.Services.GetRequiredKeyedService<WriteAheadLogStore>("audit");
        WriteAheadLogStore standard = cluster.Primary.Services.GetRequiredKeyedService<WriteAheadLogStore>(WriteAheadLogStore.DefaultStoreName);
        Assert.Equal((1L, 0L), (audit.Log!.GetStreamInfo("audittally/n").Version, standard.Log!.GetStreamInfo("audittally/n").Version));
    }
}
