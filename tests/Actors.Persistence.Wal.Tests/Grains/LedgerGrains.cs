using Actors.Journaling;
using Actors.Persistence.Wal;
using Actors.Providers;

namespace Actors.Persistence.Wal.Tests.Grains;

[GenerateSerializer]
public abstract record LedgerEvent;

[EventType("ledger-credited"), GenerateSerializer]
public sealed record LedgerCredited(decimal Amount) : LedgerEvent;

[EventType("ledger-debited"), GenerateSerializer]
public sealed record LedgerDebited(decimal Amount) : LedgerEvent;

[EventType("ledger-note"), GenerateSerializer]
public sealed record LedgerNote(string Text) : LedgerEvent;

/// <summary>Has no stable name: raising it must be rejected.</summary>
public sealed record LedgerUnnamed(decimal Amount) : LedgerEvent;

[GenerateSerializer]
public sealed class LedgerState : IApply<LedgerEvent>
{
    [Id(0)]
    public decimal Balance { get; set; }

    [Id(1)]
    public int Entries { get; set; }

    public void Apply(LedgerEvent @event)
    {
        Balance += @event switch
        {
            LedgerCredited c => c.Amount,
            LedgerDebited d => -d.Amount,
            _ => 0m,
        };
        Entries++;
    }
}

[GenerateSerializer, Alias("tests.wal.ledger-snapshot")]
public sealed record LedgerSnapshot(decimal Balance, int Entries, long Version, int ReplayedAtActivation, Guid ActivationId);

public interface ILedgerGrain : IGrainWithStringKey
{
    Task<LedgerSnapshot> Credit(decimal amount);

    Task<LedgerSnapshot> CreditMany(int count, decimal amount);

    Task<LedgerSnapshot> Note(string text);

    Task<LedgerSnapshot> RaiseUnnamed(decimal amount);

    Task<LedgerSnapshot> Get();

    Task<List<decimal>> History(int fromVersion, int toVersion);

    /// <summary>Raises <paramref name="count"/> credits as one batch and returns without ConfirmEvents.</summary>
    Task RaiseWithoutConfirm(int count, decimal amount);

    Task<LedgerSnapshot> Confirm();

    Task<bool> CreditIfUnchanged(decimal amount);

    Task<LedgerSnapshot> Refresh();

    /// <summary>Erases the confirmed events up to <paramref name="toVersion"/> (EraseConfirmedEvents).</summary>
    Task<LedgerSnapshot> EraseHistory(int toVersion);
}

/// <summary>A journaled grain; counts the events replayed at activation so tests can see the checkpoint at work.</summary>
public abstract class LedgerGrainBase : JournaledGrain<LedgerState, LedgerEvent>, ILedgerGrain
{
    private readonly Guid _activationId = Guid.NewGuid();
    private int _transitions;
    private int _replayed;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _replayed = _transitions;
        return Task.CompletedTask;
    }

    public async Task<LedgerSnapshot> Credit(decimal amount)
    {
        RaiseEvent(new LedgerCredited(amount));
        await ConfirmEvents();
        return Snapshot();
    }

    public async Task<LedgerSnapshot> CreditMany(int count, decimal amount)
    {
        RaiseEvents(Enumerable.Range(0, count).Select(_ => (LedgerEvent)new LedgerCredited(amount)));
        await ConfirmEvents();
        return Snapshot();
    }

    public async Task<LedgerSnapshot> Note(string text)
    {
        RaiseEvent(new LedgerNote(text));
        await ConfirmEvents();
        return Snapshot();
    }

    public async Task<LedgerSnapshot> RaiseUnnamed(decimal amount)
    {
        RaiseEvent(new LedgerUnnamed(amount));
        await ConfirmEvents();
        return Snapshot();
    }

    public Task<LedgerSnapshot> Get() => Task.FromResult(Snapshot());

    public Task RaiseWithoutConfirm(int count, decimal amount)
    {
        RaiseEvents(Enumerable.Range(0, count).Select(_ => new LedgerCredited(amount)));
        return Task.CompletedTask;
    }

    public async Task<LedgerSnapshot> Confirm()
    {
        await ConfirmEvents();
        return Snapshot();
    }

    public Task<bool> CreditIfUnchanged(decimal amount) => RaiseConditionalEvent(new LedgerCredited(amount));

    public async Task<LedgerSnapshot> Refresh()
    {
        await RefreshNow();
        return Snapshot();
    }

    public async Task<LedgerSnapshot> EraseHistory(int toVersion)
    {
        await EraseConfirmedEvents(toVersion);
        return Snapshot();
    }

    public async Task<List<decimal>> History(int fromVersion, int toVersion)
    {
        IReadOnlyList<LedgerEvent> events = await RetrieveConfirmedEvents(fromVersion, toVersion);
        return events.Select(e => e is LedgerCredited c ? c.Amount : -1m).ToList();
    }

    protected override void TransitionState(LedgerState state, LedgerEvent @event)
    {
        _transitions++;
        base.TransitionState(state, @event);
    }

    /// <summary>Tells the test's <see cref="Support.ConfirmationProbe"/> (when registered) which version is now confirmed.</summary>
    protected override void OnStateChanged() =>
        (ServiceProvider.GetService(typeof(Support.ConfirmationProbe)) as Support.ConfirmationProbe)?.Confirmed(GrainId, Version);

    private LedgerSnapshot Snapshot() => new(State.Balance, State.Entries, Version, _replayed, _activationId);
}

[WriteAheadLog(CheckpointEveryEvents = 0, CheckpointEveryBytes = 0)]
public sealed class LedgerGrain : LedgerGrainBase
{
}

public interface ICheckpointedLedgerGrain : ILedgerGrain
{
}

[WriteAheadLog(CheckpointEveryEvents = 10)]
public sealed class CheckpointedLedgerGrain : LedgerGrainBase, ICheckpointedLedgerGrain
{
}

public interface IRecentLedgerGrain : ILedgerGrain
{
}

/// <summary>Keeps the events of its newest 100 versions once checkpoints cover them, whatever its store keeps.</summary>
[WriteAheadLog(CheckpointEveryEvents = 10, EventHistory = EventHistoryPolicy.KeepLastVersions, HistoryVersions = 100)]
public sealed class RecentLedgerGrain : LedgerGrainBase, IRecentLedgerGrain
{
}

public interface IMisconfiguredLedgerGrain : ILedgerGrain
{
}

[WriteAheadLog(StoreName = "nowhere")]
public sealed class MisconfiguredLedgerGrain : LedgerGrainBase, IMisconfiguredLedgerGrain
{
}

public interface IPlainLedgerGrain : ILedgerGrain
{
}

/// <summary>No storage attribute at all: the journal goes to the default store, as in Orleans.</summary>
public sealed class PlainLedgerGrain : LedgerGrainBase, IPlainLedgerGrain
{
}

public interface IAuditLedgerGrain : ILedgerGrain
{
}

/// <summary>Provider-neutral store choice; [WriteAheadLog] beside it only tunes the checkpoint policy.</summary>
[StorageProvider(ProviderName = "audit")]
[WriteAheadLog(CheckpointEveryEvents = 5)]
public sealed class AuditLedgerGrain : LedgerGrainBase, IAuditLedgerGrain
{
}

public interface ILogStorageLedgerGrain : ILedgerGrain
{
}

/// <summary>Orleans' log-storage provider: the journal goes to the grain's storage (here the default store).</summary>
[LogConsistencyProvider(ProviderName = "LogStorage")]
public sealed class LogStorageLedgerGrain : LedgerGrainBase, ILogStorageLedgerGrain
{
}
