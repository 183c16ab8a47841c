using Actors.Journaling;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;
using Actors.Wal;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>
/// <c>EraseConfirmedEvents</c> through a real file-backed log, in both history modes: the grain's state survives a
/// restart from the checkpoint the erase wrote, the erased events are unreadable at once, and after compaction their bytes
/// are in no file of the log directory (every file scanned).
/// </summary>
[Trait("Category", "Integration")]
public sealed class EraseHistoryClusterTests
{
    private const string Secret = "SECRET-NOTE-";

    [Theory]
    [InlineData(EventHistoryPolicy.ReclaimAfterCheckpoint)]
    [InlineData(EventHistoryPolicy.KeepAll)]
    public async Task EraseConfirmedEvents_ThenCompactionAndRestart_ErasedBytesInNoFileAndStateRecoveredFromCheckpoint(EventHistoryPolicy history)
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o =>
        {
            o.EventHistory = history;
            o.SegmentSizeBytes = 64 * 1024;
            o.MaxRecordSizeBytes = 32 * 1024;
            o.CheckpointOnDeactivation = false;
        });
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("pii");
        await ledger.Note(Secret + "1");
        await ledger.Credit(5);
        await ledger.Note(Secret + "2");
        await ledger.Credit(2);
        string directory = WalCluster.LogDirectory(cluster);
        Assert.NotEmpty(LogFileProbe.FilesContaining(directory, Secret));

        LedgerSnapshot erased = await ledger.EraseHistory(3);
        LedgerSnapshot after = await ledger.Credit(7);

        Assert.Equal((7m, 4L), (erased.Balance, erased.Version));
        Assert.Equal((14m, 5L), (after.Balance, after.Version));
        var unavailable = await Assert.ThrowsAsync<EventHistoryUnavailableException>(() => ledger.History(0, 5));
        Assert.True(unavailable.OldestAvailableVersion > 3, $"oldest available version {unavailable.OldestAvailableVersion}");
        Assert.Equal([7m], await ledger.History(4, 5));

        await LogFileProbe.SealAndCompactUntilGoneAsync((WriteAheadLog)await WalCluster.Store(cluster).GetLogAsync(), directory, Secret);

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        ledger = cluster.Client.GetGrain<ILedgerGrain>("pii");
        LedgerSnapshot restarted = await ledger.Get();

        Assert.Equal((14m, 5, 5L), (restarted.Balance, restarted.Entries, restarted.Version));
        Assert.Equal(1, restarted.ReplayedAtActivation); // the checkpoint at version 4, then event 5
        Assert.Empty(LogFileProbe.FilesContaining(WalCluster.LogDirectory(cluster), Secret));
        await Assert.ThrowsAsync<EventHistoryUnavailableException>(() => ledger.History(0, 1));
    }

    [Fact]
    public async Task EraseConfirmedEvents_DefaultStoreKeepsAllHistory_KeepsTheEventsAfterTheErasedVersion()
    {
        await using TestCluster cluster = await WalCluster.StartAsync();
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("keep");
        await ledger.Credit(1);
        await ledger.Credit(2);
        await ledger.Credit(3);

        await ledger.EraseHistory(1);

        Assert.Equal([2m, 3m], await ledger.History(1, 3));
        await Assert.ThrowsAsync<EventHistoryUnavailableException>(() => ledger.History(0, 3));
        Assert.Equal(10m, (await ledger.Credit(4)).Balance);
    }

    [Fact]
    public async Task EraseConfirmedEvents_VersionAboveConfirmed_ThrowsAndErasesNothing()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o => o.EventHistory = EventHistoryPolicy.ReclaimAfterCheckpoint);
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("range");
        await ledger.Credit(1);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.EraseHistory(2));

        Assert.Equal([1m], await ledger.History(0, 1));
    }
}
