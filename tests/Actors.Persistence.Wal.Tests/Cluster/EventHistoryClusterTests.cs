using Actors.Journaling;
using Actors.Hosting;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.Persistence.Wal.Tests.Support;
using Actors.TestingHost;
using Actors.Wal;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>
/// The store's history policy through the real log: <c>RetrieveConfirmedEvents(0, Version)</c> works after checkpoints
/// and compaction by default (<see cref="EventHistoryPolicy.KeepAll"/>); under
/// <see cref="EventHistoryPolicy.ReclaimAfterCheckpoint"/> the error names the grain, the range and the policy.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EventHistoryClusterTests
{
    private const int Batches = 24;
    private const int EventsPerBatch = 500;

    [Fact]
    public async Task RetrieveConfirmedEvents_DefaultPolicyAfterCheckpointsCompactionAndRestart_ReturnsWholeHistory()
    {
        await using TestCluster cluster = await StartAsync(policy: null);
        ILedgerGrain ledger = cluster.Client.GetGrain<ICheckpointedLedgerGrain>("keep");
        await RaiseHistoryAsync(ledger);
        await CompactAsync(cluster);

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        await CompactAsync(cluster);
        ledger = cluster.Client.GetGrain<ICheckpointedLedgerGrain>("keep");
        LedgerSnapshot after = await ledger.Get();
        List<decimal> history = await ledger.History(0, (int)after.Version);

        Assert.Equal(Batches * EventsPerBatch, after.Version);
        Assert.True(after.ReplayedAtActivation < EventsPerBatch, $"activation replayed {after.ReplayedAtActivation} events: the checkpoints were not used");
        Assert.Equal(ExpectedAmounts(), history);
    }

    [Fact]
    public async Task RetrieveConfirmedEvents_ReclaimAfterCheckpointPolicy_ThrowsNamingGrainRangeAndPolicy()
    {
        await using TestCluster cluster = await StartAsync(EventHistoryPolicy.ReclaimAfterCheckpoint);
        ILedgerGrain ledger = cluster.Client.GetGrain<ICheckpointedLedgerGrain>("reclaim");
        await RaiseHistoryAsync(ledger);
        LogStatistics statistics = await CompactAsync(cluster);
        Assert.True(statistics.SegmentsDeleted > 0, "the test did not make the log reclaim anything");

        var error = await Assert.ThrowsAsync<EventHistoryUnavailableException>(() => ledger.History(0, Batches * EventsPerBatch));

        Assert.Equal(new GrainId("checkpointedledger", "reclaim"), error.GrainId);
        Assert.Equal((1L, (long)Batches * EventsPerBatch), (error.FromVersion, error.ToVersion));
        Assert.True(error.OldestAvailableVersion > 1, $"oldest available version {error.OldestAvailableVersion}");
        Assert.Contains("checkpointedledger/reclaim", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReclaimAfterCheckpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("KeepAll", error.Message, StringComparison.Ordinal);
        // The events after the latest checkpoint are still there.
        LedgerSnapshot now = await ledger.Get();
        Assert.Equal([(decimal)Batches], await ledger.History((int)now.Version - 1, (int)now.Version));
    }

    [Fact]
    public async Task RetrieveConfirmedEvents_ClassKeepsLastVersionsInAKeepAllStore_OlderCoveredEventsGoAndOtherClassesKeepAll()
    {
        const int batches = 6;
        var clock = new ShiftedClock();
        await using TestCluster cluster = await StartAsync(policy: null, new FileEventLogFactory(clock), silo => silo.AddGrain<RecentLedgerGrain>());
        ILedgerGrain recent = cluster.Client.GetGrain<IRecentLedgerGrain>("recent");
        ILedgerGrain all = cluster.Client.GetGrain<ICheckpointedLedgerGrain>("all");
        for (int batch = 1; batch <= batches; batch++)
        {
            await recent.CreditMany(EventsPerBatch, batch);
            await all.CreditMany(EventsPerBatch, batch);
        }

        // Every segment written so far is older than the trim age now: compaction copies both grains, trimming "recent".
        clock.Shift(TimeSpan.FromHours(2));
        await CompactAsync(cluster);
        await AssertHistoriesAsync();

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        recent = cluster.Client.GetGrain<IRecentLedgerGrain>("recent");
        all = cluster.Client.GetGrain<ICheckpointedLedgerGrain>("all");
        await AssertHistoriesAsync();

        async Task AssertHistoriesAsync()
        {
            const int version = batches * EventsPerBatch;
            var error = await Assert.ThrowsAsync<EventHistoryUnavailableException>(() => recent.History(0, version));
            Assert.Equal(version - 99, error.OldestAvailableVersion); // the newest 100 versions (the checkpoint is among them)
            Assert.Contains("KeepLastVersions(100)", error.Message, StringComparison.Ordinal);
            Assert.Equal(Enumerable.Repeat((decimal)batches, 100), await recent.History(version - 100, version));
            Assert.Equal((version, (decimal)EventsPerBatch * batches * (batches + 1) / 2), ((await recent.Get()).Version, (await recent.Get()).Balance));
            Assert.Equal(Enumerable.Range(1, batches).SelectMany(b => Enumerable.Repeat((decimal)b, EventsPerBatch)), await all.History(0, version));
        }
    }

    private static Task<TestCluster> StartAsync(EventHistoryPolicy? policy, IEventLogFactory? logFactory = null, Action<ISiloBuilder>? configureSilo = null) => WalCluster.StartAsync(o =>
    {
        // Small segments so that the history spans several of them and a checkpoint can free the older ones.
        o.SegmentSizeBytes = 64 * 1024;
        o.MaxRecordSizeBytes = 32 * 1024;
        o.CheckpointOnDeactivation = false;
        if (policy is { } p)
        {
            o.EventHistory = p;
        }
    }, logFactory, configureSilo);

    /// <summary>Batch b credits b (1..24) 500 times (about 20 KB); the grain checkpoints after every batch.</summary>
    private static async Task RaiseHistoryAsync(ILedgerGrain ledger)
    {
        for (int batch = 1; batch <= Batches; batch++)
        {
            await ledger.CreditMany(EventsPerBatch, batch);
        }
    }

    private static IEnumerable<decimal> ExpectedAmounts() =>
        Enumerable.Range(1, Batches).SelectMany(b => Enumerable.Repeat((decimal)b, EventsPerBatch));

    private static async Task<LogStatistics> CompactAsync(TestCluster cluster)
    {
        var log = (WriteAheadLog)await WalCluster.Store(cluster).GetLogAsync();
        await log.CompactAsync();
        return log.GetStatistics();
    }
}
