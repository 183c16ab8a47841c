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

        await LogFileProbe.CompactUntilGoneAsync((WriteAheadLog)await WalCluster.Store(cluster).GetLogAsync(), directory, Secret);

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        ledger = cluster.Client.GetGrain<ILedgerGrain>("pii");
        LedgerSnapshot restarted = await ledger.Get();

        Assert.Equal((14m, 5, 5L), (restarted.Balance, restarted.Entries, restarted.Version));
        Assert.Equal(1, restarted.ReplayedAtActivation); // the checkpoint at version 4, then event 5
        Assert.Empty(LogFileProbe.FilesContaining(WalCluster.LogDirectory(cluster), Secret));
        await Assert.ThrowsAsync<EventHistoryUnavailableException>(() => ledger.History(0, 1));
    }

    /// <summary>
    /// The lifecycle benchmark's shape at grain level: many grains written round by round, so every segment (sealed ones
    /// and the active one) holds notes of most of them; a fifth erase their whole history; one compaction loop, without
    /// any append to seal the active segment.
    /// </summary>
    [Theory]
    [InlineData(EventHistoryPolicy.ReclaimAfterCheckpoint)]
    [InlineData(EventHistoryPolicy.KeepAll)]
    public async Task EraseConfirmedEvents_ManyGrainsOverSeveralSegments_ErasedBytesInNoFileAfterCompaction(EventHistoryPolicy history)
    {
        const int Grains = 20;
        const int Rounds = 6;
        await using TestCluster cluster = await WalCluster.StartAsync(o =>
        {
            o.EventHistory = history;
            o.SegmentSizeBytes = 64 * 1024;
            o.MaxRecordSizeBytes = 32 * 1024;
            o.CheckpointOnDeactivation = false;
        });
        static string NoteText(int grain, int round) => $"{(grain % 5 == 0 ? Secret : "kept-note-")}{grain}-{round}-".PadRight(2000, 'x');
        for (int round = 1; round <= Rounds; round++)
        {
            for (int i = 0; i < Grains; i++)
            {
                await cluster.Client.GetGrain<ILedgerGrain>($"g{i}").Note(NoteText(i, round));
            }
        }

        var log = (WriteAheadLog)await WalCluster.Store(cluster).GetLogAsync();
        string directory = WalCluster.LogDirectory(cluster);
        Assert.True(log.GetStatistics().SegmentCount >= 3, $"precondition: the notes span sealed segments and the active one ({log.GetStatistics().SegmentCount} segments)");

        for (int i = 0; i < Grains; i += 5)
        {
            LedgerSnapshot erased = await cluster.Client.GetGrain<ILedgerGrain>($"g{i}").EraseHistory(Rounds);
            Assert.Equal(Rounds, erased.Version);
        }

        await LogFileProbe.CompactUntilGoneAsync(log, directory, Secret);

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        Assert.Empty(LogFileProbe.FilesContaining(WalCluster.LogDirectory(cluster), Secret));
        for (int i = 0; i < Grains; i++)
        {
            LedgerSnapshot restarted = await cluster.Client.GetGrain<ILedgerGrain>($"g{i}").Get();
            Assert.Equal((Rounds, (long)Rounds), (restarted.Entries, restarted.Version));
        }

        Assert.NotEmpty(LogFileProbe.FilesContaining(WalCluster.LogDirectory(cluster), NoteText(1, Rounds)));
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
