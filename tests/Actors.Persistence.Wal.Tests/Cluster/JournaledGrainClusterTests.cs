using Actors.Journaling;
using Actors.Persistence.Wal.Format;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;

namespace Actors.Persistence.Wal.Tests.Cluster;

[Trait("Category", "Integration")]
public sealed class JournaledGrainClusterTests
{
    [Fact]
    public async Task ConfirmEvents_SiloKilledAndRestarted_StateAndVersionIntact()
    {
        await using TestCluster cluster = await WalCluster.StartAsync();
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("alice");
        await ledger.Credit(10m);
        await ledger.CreditMany(3, 5m);
        LedgerSnapshot before = await ledger.Note("hello");

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        LedgerSnapshot after = await cluster.Client.GetGrain<ILedgerGrain>("alice").Get();

        Assert.Equal((25m, 5, 5L), (before.Balance, before.Entries, before.Version));
        Assert.Equal((before.Balance, before.Entries, before.Version), (after.Balance, after.Entries, after.Version));
        Assert.NotEqual(before.ActivationId, after.ActivationId);
        Assert.Equal(5, after.ReplayedAtActivation);
    }

    [Fact]
    public async Task Activation_CheckpointPlusLaterEvents_ReplaysOnlyEventsAfterCheckpoint()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o => o.CheckpointOnDeactivation = false);
        ILedgerGrain ledger = cluster.Client.GetGrain<ICheckpointedLedgerGrain>("bob");
        for (int i = 1; i <= 25; i++)
        {
            await ledger.Credit(i);
        }

        // Every 10 events, staggered by the stream's phase (3): checkpoints at each v with (v + phase) % 10 == 0, here 7
        // and 17. Each was handed to the log before the next event's append, so it is durable when the kill comes.
        long phase = new CheckpointPolicy(10, 0, false).PhaseOf("checkpointedledger/bob");
        long lastCheckpoint = Enumerable.Range(1, 25).Last(v => (v + phase) % 10 == 0);
        Assert.True(lastCheckpoint < 25, "the kill would race the checkpoint of the last event");
        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        LedgerSnapshot after = await cluster.Client.GetGrain<ICheckpointedLedgerGrain>("bob").Get();

        Assert.Equal((325m, 25, 25L), (after.Balance, after.Entries, after.Version));
        Assert.Equal(25 - lastCheckpoint, after.ReplayedAtActivation);
    }

    [Fact]
    public async Task Deactivation_CheckpointOnDeactivation_NextActivationReplaysNothing()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o => o.CheckpointOnDeactivation = true);
        await cluster.Client.GetGrain<ICheckpointedLedgerGrain>("carol").CreditMany(7, 1m);

        await cluster.RestartSiloAsync(cluster.Primary);
        LedgerSnapshot after = await cluster.Client.GetGrain<ICheckpointedLedgerGrain>("carol").Get();

        Assert.Equal((7m, 7L, 0), (after.Balance, after.Version, after.ReplayedAtActivation));
    }

    [Fact]
    public async Task RetrieveConfirmedEvents_AcrossCheckpoints_ReturnsEventsInOrder()
    {
        await using TestCluster cluster = await WalCluster.StartAsync();
        ILedgerGrain ledger = cluster.Client.GetGrain<ICheckpointedLedgerGrain>("dave");
        for (int i = 1; i <= 23; i++)
        {
            await ledger.Credit(i);
        }

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        List<decimal> history = await cluster.Client.GetGrain<ICheckpointedLedgerGrain>("dave").History(4, 23);

        Assert.Equal(Enumerable.Range(5, 19).Select(i => (decimal)i), history);
    }

    [Fact]
    public async Task RaiseConditionalEvent_AnotherWriterAppendedFirst_ReturnsFalseCatchesUpAndNextWriteFollows()
    {
        await using TestCluster cluster = await WalCluster.StartAsync();
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("conditional");
        await ledger.Credit(1m);
        await AppendAsAnotherWriterAsync(cluster, "ledger/conditional", expectedVersion: 1, new LedgerCredited(100m));

        bool stored = await ledger.CreditIfUnchanged(2m);
        LedgerSnapshot caughtUp = await ledger.Get();
        LedgerSnapshot next = await ledger.Credit(3m);

        Assert.False(stored);
        Assert.Equal((101m, 2L), (caughtUp.Balance, caughtUp.Version));
        Assert.Equal((104m, 3L, caughtUp.ActivationId), (next.Balance, next.Version, next.ActivationId));
        Assert.True(await ledger.CreditIfUnchanged(4m));
        Assert.Equal([1m, 100m, 3m, 4m], await ledger.History(0, 4));
    }

    [Fact]
    public async Task RefreshNow_AnotherWriterAppended_StateCatchesUpWithTheLog()
    {
        await using TestCluster cluster = await WalCluster.StartAsync();
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("refresh");
        await ledger.Credit(1m);
        await AppendAsAnotherWriterAsync(cluster, "ledger/refresh", expectedVersion: 1, new LedgerCredited(10m), new LedgerCredited(20m));

        LedgerSnapshot stale = await ledger.Get();
        LedgerSnapshot refreshed = await ledger.Refresh();

        Assert.Equal((1m, 1L), (stale.Balance, stale.Version));
        Assert.Equal((31m, 3L), (refreshed.Balance, refreshed.Version));
    }

    [Fact]
    public async Task RaiseEvent_UnnamedEventType_RejectedAndGrainKeepsRunning()
    {
        await using TestCluster cluster = await WalCluster.StartAsync();
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("erin");
        LedgerSnapshot before = await ledger.Credit(10m);

        var ex = await Assert.ThrowsAsync<EventRejectedException>(() => ledger.RaiseUnnamed(5m));
        LedgerSnapshot after = await ledger.Get();

        Assert.Contains("[EventType(", ex.Message, StringComparison.Ordinal);
        Assert.Equal((before.ActivationId, 10m, 1L), (after.ActivationId, after.Balance, after.Version));
    }

    [Fact]
    public async Task RaiseEvent_OversizedEvent_RejectedNothingStoredGrainKeepsRunning()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o => o.MaxEventSizeBytes = 1024);
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("frank");
        LedgerSnapshot before = await ledger.Credit(1m);

        var ex = await Assert.ThrowsAsync<EventRejectedException>(() => ledger.Note(new string('x', 2000)));
        LedgerSnapshot after = await ledger.Credit(2m);

        Assert.Contains("MaxEventSizeBytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal((before.ActivationId, 3m, 2L), (after.ActivationId, after.Balance, after.Version));
        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        Assert.Equal(2L, (await cluster.Client.GetGrain<ILedgerGrain>("frank").Get()).Version);
    }

    [Fact]
    public async Task RaiseEvents_BatchLargerThanOneRecord_RejectedAtRaiseNothingStoredGrainKeepsRunning()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o => o.MaxRecordSizeBytes = 64 * 1024);
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("huge");
        LedgerSnapshot before = await ledger.Credit(1m);

        var ex = await Assert.ThrowsAsync<EventRejectedException>(() => ledger.CreditMany(4000, 1m));
        LedgerSnapshot after = await ledger.Credit(2m);

        Assert.Contains("MaxRecordSizeBytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ledger/huge", ex.Message, StringComparison.Ordinal);
        Assert.Equal((before.ActivationId, 3m, 2L), (after.ActivationId, after.Balance, after.Version));
    }

    [Fact]
    public async Task ConfirmEvents_LogFailsWithUnknownOutcome_GrainDeactivatesAndNextActivationReplays()
    {
        var factory = new Support.FaultyFileLogFactory();
        await using TestCluster cluster = await WalCluster.StartAsync(logFactory: factory);
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("grace");
        LedgerSnapshot before = await ledger.Credit(10m);

        factory.Current!.FailAfterAppend = true;
        var ex = await Assert.ThrowsAsync<GrainStorageFailedException>(() => ledger.Credit(5m));
        factory.Current.FailAfterAppend = false;
        LedgerSnapshot after = await ledger.Get();

        Assert.IsType<Actors.Wal.LogFailedException>(ex.InnerException);
        Assert.NotEqual(before.ActivationId, after.ActivationId);
        // The failed append had actually reached the log: the new activation replays it.
        Assert.Equal((15m, 2L, 2), (after.Balance, after.Version, after.ReplayedAtActivation));
    }

    [Fact]
    public async Task Deploy_GrainNamesUnconfiguredStore_FailsNamingGrainTypeAndStore()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            WalCluster.StartAsync(configureSilo: silo => Actors.Hosting.SiloBuilderExtensions.AddGrain<MisconfiguredLedgerGrain>(silo)));

        Assert.Contains(typeof(MisconfiguredLedgerGrain).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'nowhere'", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Appends events to a grain's stream as a second writer would (the activation is not told).</summary>
    private static async Task AppendAsAnotherWriterAsync(TestCluster cluster, string streamId, long expectedVersion, params LedgerEvent[] events)
    {
        var codec = new JsonWalCodec();
        ReadOnlyMemory<byte>[] records = events
            .Select(e => codec.EncodeEvent(e))
            .Select(e => (ReadOnlyMemory<byte>)new GrainRecord(GrainRecordKind.JournalEvent, "", e.TypeName, e.Payload).ToArray())
            .ToArray();
        await (await WalCluster.Store(cluster).GetLogAsync()).AppendAsync(streamId, expectedVersion, records);
    }
}
