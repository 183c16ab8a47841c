using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Orleans.TestingHost;

namespace Actors.Orleans.Tests.EventSourcing;

/// <summary>What the log keeps of a journaled grain's history, by its class's policy.</summary>
[Trait("Category", "Integration")]
public sealed class EventHistoryTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task RetrieveConfirmedEvents_ReclaimAfterCheckpointAndCompacted_ThrowsErrorNamingThePolicy()
    {
        await using TestCluster cluster = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly, segmentSizeBytes: 64 * 1024);
        IReclaimingJournalGrain grain = cluster.GrainFactory.GetGrain<IReclaimingJournalGrain>("r");
        Assert.Equal(60, await grain.AddPadded(60, 4096));

        var log = (WriteAheadLog)WalTestCluster.PrimaryLog(cluster).Log;
        await log.CompactAsync();

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => grain.HistoryCount(0, 60));
        EventHistoryReclaimedException reclaimed = Assert.IsType<EventHistoryReclaimedException>(error);
        Assert.Contains("its history policy is ReclaimAfterCheckpoint", reclaimed.Message, StringComparison.Ordinal);
        Assert.True(reclaimed.OldestAvailableVersion > 1, $"oldest available {reclaimed.OldestAvailableVersion}");
    }

    [Fact]
    public async Task RetrieveConfirmedEvents_KeepAllByDefault_WholeHistoryAfterCompaction()
    {
        await using TestCluster cluster = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly, segmentSizeBytes: 64 * 1024);
        ICounterJournalGrain grain = cluster.GrainFactory.GetGrain<ICounterJournalGrain>("k");
        for (int i = 0; i < 6; i++)
        {
            await grain.AddMany([.. Enumerable.Range(1, 50)]);
        }

        var log = (WriteAheadLog)WalTestCluster.PrimaryLog(cluster).Log;
        await log.CompactAsync();
        int[] history = await grain.History(0, 300);
        Assert.Equal(300, history.Length);
        Assert.Equal(Enumerable.Range(1, 50), history.Take(50));
    }
}
