using Actors.Persistence.Wal.Format;
using Actors.Persistence.Wal.Tests.Support;
using Actors.Wal;

namespace Actors.Persistence.Wal.Tests.Journal;

public sealed class GrainJournalTests
{
    private static readonly GrainId Grain = GrainId.Create("account", "42");
    private static readonly CheckpointPolicy NoCheckpoints = new(0, 0, false);

    private static GrainJournal<BankState, BankEvent> NewJournal(WriteAheadLogStore store, CheckpointPolicy policy, Action<BankState, BankEvent>? apply = null) =>
        new(store, Grain, policy, () => new BankState(), apply ?? ((s, e) => s.Apply(e)));

    [Fact]
    public async Task ConfirmAsync_ThenReactivate_RestoresStateAndVersion()
    {
        var factory = new SharedLogFactory();
        var journal = NewJournal(factory.CreateStore(), NoCheckpoints);
        await journal.ActivateAsync();
        journal.Submit(new BankDeposited(100m));
        journal.SubmitRange([new BankWithdrawn(30m), new BankDeposited(5m)]);

        Assert.Equal(75m, journal.TentativeState.Balance);
        Assert.Equal(0m, journal.ConfirmedState.Balance);
        Assert.Equal(3, journal.UnconfirmedEvents.Count);
        Assert.Equal(3, await journal.ConfirmAsync());
        Assert.Equal((75m, 3L, 0), (journal.ConfirmedState.Balance, journal.ConfirmedVersion, journal.UnconfirmedEvents.Count));
        Assert.Equal(1, factory.Log.Appends);

        var again = NewJournal(factory.CreateStore(), NoCheckpoints);
        await again.ActivateAsync();
        Assert.Equal((75m, 3, 3L), (again.ConfirmedState.Balance, again.ConfirmedState.Transactions, again.ConfirmedVersion));
    }

    [Fact]
    public async Task ActivateAsync_CheckpointPlusLaterEvents_ReplaysOnlyEventsAfterCheckpoint()
    {
        var factory = new SharedLogFactory();
        var journal = NewJournal(factory.CreateStore(), new CheckpointPolicy(10, 0, false));
        await journal.ActivateAsync();
        for (int i = 0; i < 13; i++)
        {
            journal.Submit(new BankDeposited(1m));
            await journal.ConfirmAsync();
        }

        Assert.Equal(10, journal.CheckpointVersion);
        Assert.Equal(1, factory.Log.Checkpoints);

        int applied = 0;
        var again = NewJournal(factory.CreateStore(), NoCheckpoints, (s, e) =>
        {
            applied++;
            s.Apply(e);
        });
        await again.ActivateAsync();

        Assert.Equal(3, applied);
        Assert.Equal((13m, 13L, 10L), (again.ConfirmedState.Balance, again.ConfirmedVersion, again.CheckpointVersion));
    }

    [Fact]
    public async Task ReadConfirmedEventsAsync_AcrossCheckpoint_ReturnsEventsInOrder()
    {
        var factory = new SharedLogFactory();
        var journal = NewJournal(factory.CreateStore(), new CheckpointPolicy(4, 0, false));
        await journal.ActivateAsync();
        for (int i = 1; i <= 6; i++)
        {
            journal.Submit(new BankDeposited(i));
            await journal.ConfirmAsync();
        }

        Assert.Equal(4, journal.CheckpointVersion);
        IReadOnlyList<BankEvent> events = await journal.ReadConfirmedEventsAsync(3, 6);
        Assert.Equal([new BankDeposited(3), new BankDeposited(4), new BankDeposited(5), new BankDeposited(6)], events);
    }

    [Fact]
    public async Task Submit_EventWithoutStableName_IsRejectedAndChangesNothing()
    {
        var factory = new SharedLogFactory();
        var journal = NewJournal(factory.CreateStore(), NoCheckpoints);
        await journal.ActivateAsync();
        journal.Submit(new BankDeposited(10m));

        Assert.Throws<EventEncodingException>(() => journal.SubmitRange([new BankDeposited(1m), new BankUnnamed(5m)]));

        Assert.Equal(10m, journal.TentativeState.Balance);
        Assert.Single(journal.UnconfirmedEvents);
        await journal.ConfirmAsync();
        Assert.Equal(1, journal.ConfirmedVersion);
        Assert.False(journal.IsFailed);
    }

    [Fact]
    public async Task Submit_OversizedEvent_IsRejectedNamingTheLimit()
    {
        var factory = new SharedLogFactory();
        var journal = NewJournal(factory.CreateStore(o => o.MaxEventSizeBytes = 128), NoCheckpoints);
        await journal.ActivateAsync();

        var ex = Assert.Throws<EventEncodingException>(() => journal.Submit(new BankMemo(new string('x', 200))));

        Assert.Contains("MaxEventSizeBytes", ex.Message, StringComparison.Ordinal);
        Assert.Empty(journal.UnconfirmedEvents);
        journal.Submit(new BankMemo("short"));
        Assert.Equal(1, await journal.ConfirmAsync());
        Assert.Equal(0, factory.Log.Inner.GetStreamInfo("account/42").Version - 1);
    }

    [Fact]
    public async Task Submit_ApplyThrows_TentativeStateIsRebuiltWithoutTheEvent()
    {
        var factory = new SharedLogFactory();
        var journal = NewJournal(factory.CreateStore(), NoCheckpoints);
        await journal.ActivateAsync();
        journal.Submit(new BankDeposited(10m));

        Assert.Throws<InvalidOperationException>(() => journal.SubmitRange([new BankDeposited(1m), new BankWithdrawn(50m)]));

        Assert.Equal(10m, journal.TentativeState.Balance);
        Assert.Single(journal.UnconfirmedEvents);
    }

    [Fact]
    public async Task ConfirmAsync_LogFails_JournalFailsAndNextActivationReplaysTheLog()
    {
        var factory = new SharedLogFactory();
        var journal = NewJournal(factory.CreateStore(), NoCheckpoints);
        await journal.ActivateAsync();
        journal.Submit(new BankDeposited(10m));
        await journal.ConfirmAsync();

        factory.Log.FailAfterAppend = true;
        journal.Submit(new BankDeposited(5m));
        var ex = await Assert.ThrowsAsync<GrainStorageFailedException>(() => journal.ConfirmAsync());
        Assert.IsType<LogFailedException>(ex.InnerException);
        Assert.IsType<IOException>(ex.InnerException!.InnerException);
        Assert.True(journal.IsFailed);
        Assert.Throws<GrainStorageFailedException>(() => journal.Submit(new BankDeposited(1m)));

        factory.Log.FailAfterAppend = false;
        var again = NewJournal(factory.CreateStore(), NoCheckpoints);
        await again.ActivateAsync();
        Assert.Equal((15m, 2L), (again.ConfirmedState.Balance, again.ConfirmedVersion));
    }

    [Fact]
    public async Task ConfirmAsync_VersionConflict_IsAFailure()
    {
        var factory = new SharedLogFactory();
        var journal = NewJournal(factory.CreateStore(), NoCheckpoints);
        await journal.ActivateAsync();
        var other = NewJournal(factory.CreateStore(), NoCheckpoints);
        await other.ActivateAsync();
        other.Submit(new BankDeposited(1m));
        await other.ConfirmAsync();

        journal.Submit(new BankDeposited(2m));
        var ex = await Assert.ThrowsAsync<GrainStorageFailedException>(() => journal.ConfirmAsync());
        Assert.IsType<StreamVersionConflictException>(ex.InnerException);
    }

    [Fact]
    public async Task ActivateAsync_UnknownEventType_FailsNamingGrainVersionAndTypeAndLeavesLogIntact()
    {
        var factory = new SharedLogFactory();
        var journal = NewJournal(factory.CreateStore(), NoCheckpoints);
        await journal.ActivateAsync();
        journal.Submit(new BankDeposited(1m));
        await journal.ConfirmAsync();
        byte[] foreign = new GrainRecord(GrainRecordKind.JournalEvent, "", "bank-frozen", "{}"u8.ToArray()).ToArray();
        await factory.Log.AppendAsync("account/42", 1, [foreign]);

        var again = NewJournal(factory.CreateStore(), NoCheckpoints);
        var ex = await Assert.ThrowsAsync<GrainStorageLoadException>(() => again.ActivateAsync());

        Assert.Contains("'account/42'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("version 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'bank-frozen'", ex.Message, StringComparison.Ordinal);
        Assert.IsType<UnknownEventTypeException>(ex.InnerException);
        Assert.Equal(2, ex.Version);
        Assert.Equal(new StreamInfo(2, 0, false), factory.Log.GetStreamInfo("account/42"));
    }

    [Fact]
    public async Task DeactivateAsync_PolicyOnDeactivation_WritesCheckpointOfConfirmedState()
    {
        var factory = new SharedLogFactory();
        WriteAheadLogStore store = factory.CreateStore();
        await store.StartAsync();
        var journal = NewJournal(store, new CheckpointPolicy(0, 0, true));
        await journal.ActivateAsync();
        journal.Submit(new BankDeposited(7m));
        await journal.ConfirmAsync();
        journal.Submit(new BankDeposited(1000m));

        await journal.DeactivateAsync();

        StreamReadResult read = await factory.Log.ReadStreamAsync("account/42");
        Assert.Equal(1, read.Checkpoint!.Version);
        Assert.Empty(read.Events);
        var again = NewJournal(factory.CreateStore(), NoCheckpoints);
        await again.ActivateAsync();
        Assert.Equal(7m, again.ConfirmedState.Balance);
    }

    [Fact]
    public async Task ActivateAsync_StreamWithPersistentStateRecords_FailsExplainingTheMix()
    {
        var factory = new SharedLogFactory();
        byte[] stateRecord = new GrainRecord(GrainRecordKind.StateWrite, "profile", "", "{}"u8.ToArray()).ToArray();
        await factory.Log.AppendAsync("account/42", 0, [stateRecord]);

        var ex = await Assert.ThrowsAsync<GrainStorageLoadException>(() => NewJournal(factory.CreateStore(), NoCheckpoints).ActivateAsync());
        Assert.Contains("[PersistentState]", ex.Message, StringComparison.Ordinal);
    }
}
