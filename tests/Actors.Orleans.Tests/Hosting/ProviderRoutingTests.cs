using Actors.Orleans.Storage;
using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.Hosting;

/// <summary>
/// Which grains the silo puts on the log: [WriteAheadLog] classes with AddWriteAheadLog alone; every grain, written for
/// Orleans's own providers, when the write-ahead-log providers are the silo's defaults.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProviderRoutingTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task AddWriteAheadLog_AttributedGrainsOnTheLog_OthersKeepTheDefaultStorage()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly))
        {
            Assert.Equal(1, await first.GrainFactory.GetGrain<IVisitGrain>("a", grainClassNamePrefix: typeof(AttributedVisitGrain).FullName).Visit());
            Assert.Equal(2, await first.GrainFactory.GetGrain<IVisitGrain>("a", grainClassNamePrefix: typeof(AttributedVisitGrain).FullName).Visit());
            Assert.Equal(1, await first.GrainFactory.GetGrain<IVisitGrain>("a", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visit());
            await first.GrainFactory.GetGrain<ITwoStatesGrain>("t").Set("ada", 7);
            await first.StopAllSilosAsync();
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly);
        Assert.Equal(2, await second.GrainFactory.GetGrain<IVisitGrain>("a", grainClassNamePrefix: typeof(AttributedVisitGrain).FullName).Visits());
        Assert.Equal(0, await second.GrainFactory.GetGrain<IVisitGrain>("a", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visits());
        Assert.Equal("ada:7:True:1", await second.GrainFactory.GetGrain<ITwoStatesGrain>("t").Describe());
    }

    [Fact]
    public async Task WriteAheadLogAttribute_SiloWithoutAddWriteAheadLog_CallFailsInsteadOfUsingTheDefaultStorage()
    {
        await using TestCluster cluster = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.WithoutLog);

        Exception error = await Assert.ThrowsAnyAsync<Exception>(
            () => cluster.GrainFactory.GetGrain<IVisitGrain>("a", grainClassNamePrefix: typeof(AttributedVisitGrain).FullName).Visit());
        Assert.True(error.ToString().Contains(nameof(WriteAheadLogPlacement), StringComparison.Ordinal), error.ToString());
        Assert.Equal(1, await cluster.GrainFactory.GetGrain<IVisitGrain>("a", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visit());
    }

    [Fact]
    public async Task AddWriteAheadLogGrainStorageAsDefault_GrainWrittenForOrleansProviders_DurableAcrossRestart()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.Defaults))
        {
            for (int i = 0; i < 20; i++)
            {
                IVisitGrain grain = first.GrainFactory.GetGrain<IVisitGrain>($"p{i}", grainClassNamePrefix: typeof(PlainVisitGrain).FullName);
                await grain.Visit();
                await grain.Visit();
            }

            await first.StopAllSilosAsync();
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.Defaults);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(2, await second.GrainFactory.GetGrain<IVisitGrain>($"p{i}", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visits());
        }
    }

    [Fact]
    public async Task Restart_DefaultProvidersDroppedAfterGrainsStoredUnderThem_SiloRefusesToStartInsteadOfServingEmptyStates()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.Defaults))
        {
            Assert.Equal(1, await first.GrainFactory.GetGrain<IVisitGrain>("p", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visit());
            await first.StopAllSilosAsync();
        }

        // The same silo without the ...AsDefault registrations: the plain grain's state (provider "Default") has no reader.
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly));
        Assert.True(error.ToString().Contains(nameof(UnconfiguredProviderDataException), StringComparison.Ordinal), error.ToString());
        Assert.True(error.ToString().Contains("'s/Default/'", StringComparison.Ordinal), error.ToString());

        await using TestCluster again = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.Defaults);
        Assert.Equal(1, await again.GrainFactory.GetGrain<IVisitGrain>("p", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visits());
    }

    [Fact]
    public async Task Read_ClassWithoutTheAttributeWhoseStateTheLogHolds_RefusedInsteadOfAnEmptyDefaultStorageState()
    {
        // The plain class was [WriteAheadLog] before: its state is on the log, its reads now go to memory storage.
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly))
        {
            await first.GrainFactory.GetGrain<IVisitGrain>("a", grainClassNamePrefix: typeof(AttributedVisitGrain).FullName).Visit();
            await first.StopAllSilosAsync();
        }

        await using (ProviderHarnessForJournals log = await ProviderHarnessForJournals.OpenAsync(Path.Combine(_root.Path, "Primary")))
        {
            await log.CopyNewestAsync(
                GrainStreamNames.State(WriteAheadLogAttribute.ProviderName, "state", GrainId.Create("attributedvisit", "a")),
                GrainStreamNames.State(WriteAheadLogAttribute.ProviderName, "state", GrainId.Create("plainvisit", "a")));
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly);
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => second.GrainFactory.GetGrain<IVisitGrain>("a", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visits());
        Assert.True(error.ToString().Contains(nameof(GrainDataUnderAnotherProviderException), StringComparison.Ordinal), error.ToString());
        Assert.True(error.ToString().Contains("'s/WriteAheadLog/state/plainvisit/a'", StringComparison.Ordinal), error.ToString());
        Assert.Equal(0, await second.GrainFactory.GetGrain<IVisitGrain>("b", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visits());
    }

    [Fact]
    public async Task Storage_ClusterOfTwoSilos_RefusedWithTypedErrorInsteadOfAnEmptyState()
    {
        await using TestCluster cluster = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.Defaults, silos: 2);
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.GrainFactory.GetGrain<IVisitGrain>("x", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visit());
        Assert.True(error.ToString().Contains("this cluster has 2 active silos", StringComparison.Ordinal), error.ToString());
        Assert.True(error.ToString().Contains("AddWriteAheadLogReplication", StringComparison.Ordinal), error.ToString());
    }

    [Fact]
    public async Task ClearStateAsync_ThroughTheGrain_GoneAfterRestart()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly))
        {
            IVisitGrain grain = first.GrainFactory.GetGrain<IVisitGrain>("gone", grainClassNamePrefix: typeof(AttributedVisitGrain).FullName);
            await grain.Visit();
            await grain.Forget();
            await first.StopAllSilosAsync();
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly);
        Assert.Equal(0, await second.GrainFactory.GetGrain<IVisitGrain>("gone", grainClassNamePrefix: typeof(AttributedVisitGrain).FullName).Visits());
    }
}
