using Actors.Journaling;
using Actors.Persistence.Wal.Tests.Grains;
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

    private static Task<TestCluster> StartAsync(EventHistoryPolicy? policy) => WalCluster.StartAsync(o =>
    {
        // Small segments so that the history spans several of them and a checkpoint can free the older ones.
        o.SegmentSizeBytes = 64 * 1024;
        o.MaxRecordSizeBytes = 32 * 1024;
        o.CheckpointOnDeactivation = false;
        if (policy is { } p)
        {
            o.EventHistory = p;
        }
    });

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
