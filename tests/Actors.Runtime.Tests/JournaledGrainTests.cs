using Actors.Hosting;
using Actors.Journaling;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

/// <summary>JournaledGrain against Orleans' documented semantics, over a scriptable journal store.</summary>
public sealed class JournaledGrainTests
{
    private readonly Probe _probe = new();
    private readonly TestJournalStore _store = new();

    private TestSilo StartSilo(Action<ISiloBuilder>? configure = null) => TestSilo.Start(
        s =>
        {
            s.AddGrain<LedgerGrain>().AddGrain<DurableLedgerGrain>().AddGrain<ReentrantLedgerGrain>();
            configure?.Invoke(s);
        },
        services: collection =>
        {
            collection.AddSingleton(_probe);
            collection.AddKeyedSingleton<IJournalAdaptorFactory>("journal", _store);
        });

    private static async Task DeactivateAsync(TestSilo silo, ILedgerGrain grain)
    {
        await grain.Deactivate();
        await WaitDeactivatedAsync(silo, grain.GetGrainId());
    }

    private static Task WaitDeactivatedAsync(TestSilo silo, GrainId grainId) =>
        Probe.WaitUntilAsync(() => !silo.Runtime.Catalog.TryGet(grainId, out _), $"grain {grainId} to deactivate");

    [Fact]
    public async Task RaiseEvent_ThenConfirmEvents_TentativeFirstThenConfirmedStateAndVersion()
    {
        _store.HoldAppends = new TaskCompletionSource();
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("a");
        Task appendArrived = _store.AppendArrived.Task;

        await grain.RaiseOnly(10);
        Assert.Equal(0, await grain.Balance());
        Assert.Equal(10, await grain.TentativeBalance());
        Assert.Equal(0, await grain.GetVersion());
        Assert.Equal(1, await grain.Unconfirmed());
        Assert.Equal(1, await grain.TentativeChanges());

        Task confirm = grain.Confirm();
        await appendArrived.WaitAsync(Probe.WaitTimeout);
        Assert.False(confirm.IsCompleted, "ConfirmEvents completed before the append was durable");
        _store.HoldAppends.SetResult();
        await confirm;

        Assert.Equal(10, await grain.Balance());
        Assert.Equal(1, await grain.GetVersion());
        Assert.Equal(0, await grain.Unconfirmed());
        Assert.Equal(1, await grain.StateChanges());
    }

    [Fact]
    public async Task RaiseEvent_WithoutConfirmEvents_IsConfirmedInTheBackground()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("background");

        await grain.RaiseOnly(4);
        await _probe.WaitForAsync("confirmed:background:1");

        Assert.Contains("append:background:0+1", _store.Log);
        Assert.Equal((4m, 1, 0), (await grain.Balance(), await grain.GetVersion(), await grain.Unconfirmed()));
    }

    [Fact]
    public async Task RaiseEvents_SeveralBatchesInOneTurn_ConfirmedTogetherInOneBackgroundAppend()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("turn");

        bool[] conditional = await grain.RaiseTwoConditionalThenUnconditional(2);

        Assert.Equal([true, true], conditional);
        await _probe.WaitForAsync("confirmed:turn:4");
        Assert.Equal(["append:turn:0+4", "confirmed:turn:4:4"], _store.Log);
    }

    [Fact]
    public async Task RaiseEvents_ThreeEvents_ConfirmedInOneAppend()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("batch");

        Assert.Equal(3, await grain.DepositMany([1, 2, 3]));

        Assert.Contains("append:batch:0+3", _store.Log);
        Assert.Equal(6, await grain.Balance());
    }

    [Fact]
    public async Task Activate_NoStoreAttributeAndNoDefaultStore_FailsNamingGrainClassAndHowToConfigure()
    {
        await using TestSilo silo = StartSilo();

        var error = await Assert.ThrowsAsync<GrainStoreNotConfiguredException>(() => silo.Factory.GetGrain<ILedgerGrain>("nowhere").RaiseOnly(1));

        Assert.Equal(typeof(LedgerGrain), error.GrainClass);
        Assert.Equal(StorageNames.Default, error.StoreName);
        Assert.Contains(typeof(LedgerGrain).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("AddWriteAheadLogAsDefault", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddMemoryJournalStorage", error.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Log);
    }

    [Fact]
    public async Task Activate_NoStoreAttributeWithDefaultJournalStore_UsesItAndReplaysAfterDeactivation()
    {
        await using TestSilo silo = StartSilo(s => s.AddMemoryJournalStorage());
        ILedgerGrain grain = silo.Factory.GetGrain<ILedgerGrain>("kept");
        await grain.Deposit(5);
        await grain.DepositMany([1, 2]);

        await DeactivateAsync(silo, grain);

        Assert.Equal(8, await grain.Balance());
        Assert.Equal(3, await grain.GetVersion());
        Assert.Equal(2, _probe.Count("ctor:kept"));
    }

    [Fact]
    public async Task Activate_DefaultStoreIsGrainStorageWithoutJournal_FailsSayingSo()
    {
        await using TestSilo silo = StartSilo(s => s.AddMemoryGrainStorage());

        var error = await Assert.ThrowsAsync<GrainStoreNotConfiguredException>(() => silo.Factory.GetGrain<ILedgerGrain>("state-only").GetVersion());

        Assert.Contains("grain storage without journal support", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogConsistencyProvider_LogStorageProviderOverStorageProvider_KeepsEventsInTheGrainsStore()
    {
        await using TestSilo silo = StartSilo(s => s.AddGrain<LogConsistencyLedgerGrain>().AddLogStorageBasedLogConsistencyProvider());
        ILogConsistencyLedgerGrain grain = silo.Factory.GetGrain<ILogConsistencyLedgerGrain>("orleans-style");

        Assert.Equal(2, await grain.DepositMany([1, 2]));

        Assert.Contains("append:orleans-style:0+2", _store.Log);
    }

    [Fact]
    public void Start_LogConsistencyProviderNotConfigured_FailsNamingGrainAndProvider()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => TestSilo.Start(s => s.AddGrain<MissingProviderLedgerGrain>()));

        Assert.Contains(typeof(MissingProviderLedgerGrain).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("[LogConsistencyProvider(ProviderName = \"missing-provider\")]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_JournaledGrainNamesUnconfiguredStore_FailsNamingGrainAndStore()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => TestSilo.Start(s => s.AddGrain<MisconfiguredLedgerGrain>()));

        Assert.Contains(typeof(MisconfiguredLedgerGrain).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("'missing-journal'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseEvent_CodecCannotEncode_RejectedStateUnchangedGrainKeepsRunning()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("codec");
        await grain.Deposit(5);

        await Assert.ThrowsAsync<NotSupportedException>(() => grain.RaiseUnencodable());

        Assert.Equal(5, await grain.TentativeBalance());
        Assert.Equal(0, await grain.Unconfirmed());
        Assert.Equal(2, await grain.Deposit(1));
        Assert.Equal(1, _probe.Count("ctor:codec"));
    }

    [Fact]
    public async Task RaiseEvent_StateCannotApplyEvent_RefusedNothingQueued()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("inapplicable");
        await grain.Deposit(5);

        await Assert.ThrowsAsync<NotSupportedException>(() => grain.RaiseInapplicable());
        await grain.Confirm();

        Assert.Equal((5m, 0, 1), (await grain.TentativeBalance(), await grain.Unconfirmed(), await grain.GetVersion()));
        Assert.DoesNotContain(_store.Log, l => l.StartsWith("append:inapplicable:1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConfirmEvents_StoreRejects_UnconfirmedDroppedGrainKeepsRunning()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("rejected");
        await grain.Deposit(5);
        _store.FailNextAppend = new EventRejectedException("too large");

        await Assert.ThrowsAsync<EventRejectedException>(() => grain.Deposit(1000));

        Assert.Equal(5, await grain.Balance());
        Assert.Equal(5, await grain.TentativeBalance());
        Assert.Equal(1, await grain.GetVersion());
        Assert.Equal(2, await grain.Deposit(1));
        Assert.Equal(1, _probe.Count("ctor:rejected"));
    }

    [Fact]
    public async Task ConfirmEvents_AfterBackgroundRejection_ReportsItOnceAndGrainKeepsRunning()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("bg-rejected");
        await grain.Deposit(5);
        _store.FailNextAppend = new EventRejectedException("refused in the background");

        await grain.RaiseOnly(1000);
        var error = await Assert.ThrowsAsync<EventRejectedException>(() => grain.Confirm());
        await grain.Confirm();

        Assert.Equal("refused in the background", error.Message);
        Assert.Equal((5m, 5m, 1), (await grain.Balance(), await grain.TentativeBalance(), await grain.GetVersion()));
        Assert.Equal(2, await grain.Deposit(1));
        Assert.Equal(1, _probe.Count("ctor:bg-rejected"));
    }

    [Fact]
    public async Task ConfirmEvents_IoFailureAfterStoring_CallerGetsErrorAndNextActivationReplaysStoredEvents()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("failed");
        await grain.Deposit(5);
        _store.FailNextAppend = new IOException("fsync failed");
        _store.StoreBeforeFailing = true;

        await Assert.ThrowsAsync<IOException>(() => grain.Deposit(7));
        await WaitDeactivatedAsync(silo, grain.GetGrainId());

        Assert.Equal(12, await grain.Balance());
        Assert.Equal(2, await grain.GetVersion());
        Assert.Equal(2, _probe.Count("ctor:failed"));
    }

    [Fact]
    public async Task BackgroundConfirmation_IoFailure_ActivationDeactivatesAndNextOneReplaysWhatWasStored()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("bg-failed");
        await grain.Deposit(5);
        _store.FailNextAppend = new IOException("fsync failed");
        _store.StoreBeforeFailing = true;

        await grain.RaiseOnly(7);
        await WaitDeactivatedAsync(silo, grain.GetGrainId());

        Assert.Equal((12m, 2), (await grain.Balance(), await grain.GetVersion()));
        Assert.Equal(2, _probe.Count("ctor:bg-failed"));
    }

    [Fact]
    public async Task ConfirmEvents_IoFailureBeforeStoring_NextActivationHasOnlyConfirmedEvents()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("lost");
        await grain.Deposit(5);
        _store.FailNextAppend = new IOException("write failed");

        await Assert.ThrowsAsync<IOException>(() => grain.Deposit(7));

        Assert.Equal(5, await grain.Balance());
        Assert.Equal(2, _probe.Count("ctor:lost"));
    }

    [Fact]
    public async Task RaiseConditionalEvent_NothingElseWritten_ReturnsTrueAndStores()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("cond");
        await grain.RaiseOnly(1);

        Assert.True(await grain.DepositIfUnchanged(2));

        Assert.Equal((3m, 2), (await grain.Balance(), await grain.GetVersion()));
    }

    [Fact]
    public async Task RaiseConditionalEvent_StoreRejects_ThrowsThereAndConfirmEventsDoesNotReportItAgain()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("cond-rejected");
        _store.FailNextAppend = new EventRejectedException("refused");

        await Assert.ThrowsAsync<EventRejectedException>(() => grain.DepositIfUnchanged(2));
        await grain.Confirm();

        Assert.Equal((0m, 0, 0), (await grain.TentativeBalance(), await grain.GetVersion(), await grain.Unconfirmed()));
    }

    [Fact]
    public async Task RaiseConditionalEvent_AnotherWriterStoredFirst_ReturnsFalseAndCatchesUp()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("cond-conflict");
        await grain.Deposit(1);
        _store.AppendExternally(grain.GetGrainId(), new Deposited(100));

        Assert.False(await grain.DepositIfUnchanged(2));

        Assert.Equal((101m, 101m, 2, 0), (await grain.Balance(), await grain.TentativeBalance(), await grain.GetVersion(), await grain.Unconfirmed()));
        Assert.True(await grain.DepositIfUnchanged(3));
        Assert.Equal((104m, 3), (await grain.Balance(), await grain.GetVersion()));
    }

    [Fact]
    public async Task RaiseEvent_AnotherWriterStoredFirst_CatchesUpAndAppendsAfterIt()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("conflict");
        await grain.Deposit(1);
        _store.AppendExternally(grain.GetGrainId(), new Deposited(100), new Withdrawn(10));

        Assert.Equal(4, await grain.Deposit(5));

        Assert.Equal(96, await grain.Balance());
        Assert.Equal([1m, 100m, -10m, 5m], await grain.History(0, 4));
        Assert.Equal(1, _probe.Count("ctor:conflict"));
    }

    [Fact]
    public async Task RefreshNow_AnotherWriterStored_StateCatchesUpAndStateChangedIsCalled()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("refresh");
        await grain.Deposit(1);
        int changesBefore = await grain.StateChanges();
        _store.AppendExternally(grain.GetGrainId(), new Deposited(50));

        await grain.Refresh();

        Assert.Equal((51m, 2), (await grain.Balance(), await grain.GetVersion()));
        Assert.Equal(changesBefore + 1, await grain.StateChanges());
    }

    [Fact]
    public async Task RetrieveConfirmedEvents_VersionRanges_ReturnEventsBetweenVersions()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("history");
        await grain.DepositMany([1, 2, 3]);

        Assert.Equal([1m, 2m, 3m], await grain.History(0, 3));
        Assert.Equal([2m], await grain.History(1, 2));
        Assert.Empty(await grain.History(3, 3));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.History(0, 4));
    }

    [Fact]
    public async Task Activate_CheckpointPlusLaterEvents_ReplaysOnlyEventsAfterCheckpoint()
    {
        _store.Seed(new GrainId("durableledger", "cp"), new JournalCheckpoint<LedgerState>(new LedgerState { Balance = 100 }, 5), (6, new Deposited(1)), (7, new Withdrawn(2)));
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("cp");

        Assert.Equal(99, await grain.Balance());
        Assert.Equal(7, await grain.GetVersion());
        Assert.Equal(8, await grain.Deposit(1));
        Assert.Contains("append:cp:7+1", _store.Log);
    }

    [Fact]
    public async Task Activate_JournalWithVersionGap_FailsNamingGrainAndVersions()
    {
        _store.Seed(new GrainId("durableledger", "gap"), null, (1, new Deposited(1)), (3, new Deposited(1)));
        await using TestSilo silo = StartSilo();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Factory.GetGrain<IDurableLedgerGrain>("gap").Balance());

        Assert.Contains("durableledger/gap", error.Message, StringComparison.Ordinal);
        Assert.Contains("from version 1 to 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmEvents_AndDeactivation_ProviderSeesConfirmedState()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("seen");
        await grain.Deposit(5);
        await grain.Deposit(6);

        await DeactivateAsync(silo, grain);

        Assert.Equal(["append:seen:0+1", "confirmed:seen:1:5", "append:seen:1+1", "confirmed:seen:2:11", "deactivated:seen:2:11"], _store.Log);
    }

    [Fact]
    public async Task Deactivate_ConfirmationInFlight_WaitsForItBeforeStoreSeesDeactivation()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("flush");
        await grain.Deposit(1);
        _store.HoldAppends = new TaskCompletionSource();
        Task appendArrived = _store.AppendArrived.Task;
        await grain.RaiseOnly(3);
        await appendArrived.WaitAsync(Probe.WaitTimeout);

        await grain.Deactivate();
        Assert.DoesNotContain(_store.Log, l => l.StartsWith("deactivated:flush", StringComparison.Ordinal));
        _store.HoldAppends.SetResult();
        await WaitDeactivatedAsync(silo, grain.GetGrainId());

        Assert.Equal(["append:flush:0+1", "confirmed:flush:1:1", "append:flush:1+1", "confirmed:flush:2:4", "deactivated:flush:2:4"], _store.Log);
        Assert.Equal(4, await grain.Balance());
    }

    [Fact]
    public async Task ConfirmEvents_ConcurrentDepositsOnReentrantGrain_AllConfirmedInOrderWithoutConflicts()
    {
        await using TestSilo silo = StartSilo();
        IReentrantLedgerGrain grain = silo.Factory.GetGrain<IReentrantLedgerGrain>("many");

        await Task.WhenAll(Enumerable.Range(1, 50).Select(i => grain.Deposit(i)));

        Assert.Equal(50, await grain.GetVersion());
        Assert.Equal(1275, await grain.Balance());
        Assert.Equal(Enumerable.Range(1, 50).Sum(), (await grain.History(0, 50)).Sum());
        await DeactivateAsync(silo, grain);
        Assert.Equal(1275, await grain.Balance());
    }
}
