using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.EventSourcing;

/// <summary>JournaledGrain.ClearLogAsync on the log: the grain starts over at version 0; the old events are erased.</summary>
[Trait("Category", "Integration")]
public sealed class ClearLogTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task ClearLogAsync_ThenMoreEventsAndRestart_StartsOverAndOldEventsErased()
    {
        await using (TestCluster first = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly))
        {
            ICounterJournalGrain grain = first.GrainFactory.GetGrain<ICounterJournalGrain>("cleared");
            for (int i = 0; i < 23; i++)
            {
                await grain.Add(1000);
            }

            await grain.Clear();
            Assert.Equal(new CounterView(0, 0, 0), await grain.Get());
            await grain.AddMany([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
            Assert.Equal(new CounterView(78, 12, 12), await grain.Get());
            await first.StopAllSilosAsync();
        }

        await using (ProviderHarnessForJournals log = await ProviderHarnessForJournals.OpenAsync(Path.Combine(_root.Path, "Primary")))
        {
            StreamInfo info = log.Info("cleared");
            Assert.Equal(35, info.Version);
            Assert.True(info.CheckpointVersion >= 23, $"checkpoint at {info.CheckpointVersion}");
            await Assert.ThrowsAsync<EventsReclaimedException>(async () => await log.ReadEventsAsync("cleared", 1, 23));
        }

        await using TestCluster second = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly);
        ICounterJournalGrain again = second.GrainFactory.GetGrain<ICounterJournalGrain>("cleared");
        Assert.Equal(new CounterView(78, 12, 12), await again.Get());
        int[] history = await again.History(0, 12);
        Assert.Equal(Enumerable.Range(1, 12), history);
        Assert.Equal(new CounterView(178, 13, 13), await again.Add(100));
    }

    [Fact]
    public async Task ClearLogAsync_NeverWritten_NothingToEraseGrainGoesOn()
    {
        await using TestCluster cluster = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly);
        ICounterJournalGrain grain = cluster.GrainFactory.GetGrain<ICounterJournalGrain>("empty");
        await grain.Clear();
        Assert.Equal(new CounterView(5, 1, 1), await grain.Add(5));
    }
}
