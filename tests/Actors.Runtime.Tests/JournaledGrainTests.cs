using Actors.Hosting;
using Actors.Journaling;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

public sealed class JournaledGrainTests
{
    private readonly Probe _probe = new();
    private readonly TestJournalStore _store = new();

    private TestSilo StartSilo(bool memoryJournal = false) => TestSilo.Start(
        s =>
        {
            s.AddGrain<LedgerGrain>().AddGrain<DurableLedgerGrain>().AddGrain<ReentrantLedgerGrain>();
            if (memoryJournal)
            {
                s.AddMemoryJournalStorage("journal");
            }
        },
        services: collection =>
        {
            collection.AddSingleton(_probe);
            if (!memoryJournal)
            {
                collection.AddKeyedSingleton<IJournalAdaptorFactory>("journal", _store);
            }
        });

    private static async Task DeactivateAsync(TestSilo silo, ILedgerGrain grain)
    {
        await grain.Deactivate();
        await Probe.WaitUntilAsync(() => !silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out _), $"grain {grain.GetGrainId()} to deactivate");
    }

    [Fact]
    public async Task RaiseEvent_ThenConfirmEvents_TentativeFirstThenConfirmedStateAndVersion()
    {
        await using TestSilo silo = StartSilo();
        ILedgerGrain grain = silo.Factory.GetGrain<ILedgerGrain>("a");

        await grain.RaiseOnly(10);
        Assert.Equal(0, await grain.Balance());
        Assert.Equal(10, await grain.TentativeBalance());
        Assert.Equal(0, await grain.GetVersion());
        Assert.Equal(1, await grain.Unconfirmed());

        await grain.Confirm();

        Assert.Equal(10, await grain.Balance());
        Assert.Equal(1, await grain.GetVersion());
        Assert.Equal(0, await grain.Unconfirmed());
        Assert.Equal(1, await grain.StateChanges());
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
    public async Task Deactivate_GrainWithoutStoreAttribute_LosesState()
    {
        await using TestSilo silo = StartSilo();
        ILedgerGrain grain = silo.Factory.GetGrain<ILedgerGrain>("volatile");
        await grain.Deposit(5);

        await DeactivateAsync(silo, grain);

        Assert.Equal(0, await grain.Balance());
        Assert.Equal(0, await grain.GetVersion());
    }

    [Fact]
    public async Task Deactivate_GrainWithMemoryJournalStore_ReplaysEvents()
    {
        await using TestSilo silo = StartSilo(memoryJournal: true);
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("kept");
        await grain.Deposit(5);
        await grain.DepositMany([1, 2]);

        await DeactivateAsync(silo, grain);

        Assert.Equal(8, await grain.Balance());
        Assert.Equal(3, await grain.GetVersion());
        Assert.Equal(2, _probe.Count("ctor:kept"));
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
    public async Task ConfirmEvents_IoFailureAfterStoring_CallerGetsErrorAndNextActivationReplaysStoredEvents()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("failed");
        await grain.Deposit(5);
        _store.FailNextAppend = new IOException("fsync failed");
        _store.StoreBeforeFailing = true;

        await Assert.ThrowsAsync<IOException>(() => grain.Deposit(7));
        await Probe.WaitUntilAsync(() => !silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out _), "the failed activation to deactivate");

        Assert.Equal(12, await grain.Balance());
        Assert.Equal(2, await grain.GetVersion());
        Assert.Equal(2, _probe.Count("ctor:failed"));
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
    public async Task Deactivate_UnconfirmedEvents_ConfirmedBeforeProviderSeesDeactivation()
    {
        await using TestSilo silo = StartSilo();
        IDurableLedgerGrain grain = silo.Factory.GetGrain<IDurableLedgerGrain>("flush");
        await grain.RaiseOnly(3);

        await DeactivateAsync(silo, grain);

        Assert.Equal(3, await grain.Balance());
        Assert.Contains("deactivated:flush:1:3", _store.Log);
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

    [Fact]
    public void Start_JournaledGrainNamesUnconfiguredStore_FailsNamingGrainAndStore()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => TestSilo.Start(s => s.AddGrain<MisconfiguredLedgerGrain>()));

        Assert.Contains(typeof(MisconfiguredLedgerGrain).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("'missing-journal'", error.Message, StringComparison.Ordinal);
    }
}
