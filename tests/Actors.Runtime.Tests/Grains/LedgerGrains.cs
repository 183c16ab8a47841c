using Actors.Concurrency;
using Actors.Journaling;
using Actors.Providers;
using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests.Grains;

public abstract record LedgerEvent;

public sealed record Deposited(decimal Amount) : LedgerEvent;

public sealed record Withdrawn(decimal Amount) : LedgerEvent;

/// <summary>The test journal store cannot encode this event.</summary>
public sealed record Unencodable(string Reason) : LedgerEvent;

/// <summary>The state refuses to apply this event.</summary>
public sealed record Inapplicable(string Reason) : LedgerEvent;

public sealed class LedgerState : IApply<LedgerEvent>
{
    public decimal Balance { get; set; }

    public void Apply(LedgerEvent @event)
    {
        switch (@event)
        {
            case Deposited d:
                Balance += d.Amount;
                break;
            case Withdrawn w:
                Balance -= w.Amount;
                break;
            default:
                throw new NotSupportedException($"Unknown event {@event.GetType().Name}.");
        }
    }
}

public interface ILedgerGrain : IGrainWithStringKey
{
    Task<int> Deposit(decimal amount);

    Task<int> DepositMany(decimal[] amounts);

    Task RaiseOnly(decimal amount);

    Task RaiseManyOnly(decimal[] amounts);

    Task<bool> DepositIfUnchanged(decimal amount);

    Task<bool[]> RaiseTwoConditionalThenUnconditional(decimal amount);

    Task Confirm();

    Task Refresh();

    Task<decimal> Balance();

    Task<decimal> TentativeBalance();

    Task<int> GetVersion();

    Task<int> Unconfirmed();

    Task<decimal[]> History(int fromVersion, int toVersion);

    Task RaiseUnencodable();

    Task RaiseInapplicable();

    Task Deactivate();

    Task<int> StateChanges();

    Task<int> TentativeChanges();
}

/// <summary>
/// A journaled grain with no store attribute: it uses the store named "Default" (Orleans' default provider) and fails
/// to activate when the silo configures none. Records each confirmed version in the probe.
/// </summary>
public class LedgerGrain : JournaledGrain<LedgerState, LedgerEvent>, ILedgerGrain
{
    private readonly Probe _probe;
    private int _stateChanges;
    private int _tentativeChanges;

    public LedgerGrain(Probe probe)
    {
        _probe = probe;
        _probe.Record($"ctor:{GetPrimaryKeyString()}");
    }

    public async Task<int> Deposit(decimal amount)
    {
        RaiseEvent(new Deposited(amount));
        await ConfirmEvents();
        return Version;
    }

    public async Task<int> DepositMany(decimal[] amounts)
    {
        RaiseEvents(amounts.Select(a => new Deposited(a)));
        await ConfirmEvents();
        return Version;
    }

    public Task RaiseOnly(decimal amount)
    {
        RaiseEvent(new Deposited(amount));
        return Task.CompletedTask;
    }

    public Task RaiseManyOnly(decimal[] amounts)
    {
        RaiseEvents(amounts.Select(a => new Deposited(a)));
        return Task.CompletedTask;
    }

    public Task<bool> DepositIfUnchanged(decimal amount) => RaiseConditionalEvent(new Deposited(amount));

    public async Task<bool[]> RaiseTwoConditionalThenUnconditional(decimal amount)
    {
        Task<bool> first = RaiseConditionalEvent(new Deposited(amount));
        Task<bool> second = RaiseConditionalEvents([new Deposited(amount), new Deposited(amount)]);
        RaiseEvent(new Withdrawn(amount));
        return [await first, await second];
    }

    public Task Confirm() => ConfirmEvents();

    public Task Refresh() => RefreshNow();

    public Task<decimal> Balance() => Task.FromResult(State.Balance);

    public Task<decimal> TentativeBalance() => Task.FromResult(TentativeState.Balance);

    public Task<int> GetVersion() => Task.FromResult(Version);

    public Task<int> Unconfirmed() => Task.FromResult(UnconfirmedEvents.Count());

    public async Task<decimal[]> History(int fromVersion, int toVersion)
        => [.. (await RetrieveConfirmedEvents(fromVersion, toVersion)).Select(e => e is Deposited d ? d.Amount : -((Withdrawn)e).Amount)];

    public Task RaiseUnencodable()
    {
        RaiseEvent(new Unencodable("test"));
        return Task.CompletedTask;
    }

    public Task RaiseInapplicable()
    {
        RaiseEvent(new Inapplicable("test"));
        return Task.CompletedTask;
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<int> StateChanges() => Task.FromResult(_stateChanges);

    public Task<int> TentativeChanges() => Task.FromResult(_tentativeChanges);

    protected override void OnStateChanged()
    {
        _stateChanges++;
        _probe.Record($"confirmed:{GetPrimaryKeyString()}:{Version}");
    }

    protected override void OnTentativeStateChanged() => _tentativeChanges++;
}

public interface IDurableLedgerGrain : ILedgerGrain
{
}

[StorageProvider(ProviderName = "journal")]
public sealed class DurableLedgerGrain(Probe probe) : LedgerGrain(probe), IDurableLedgerGrain
{
}

public interface ILogConsistencyLedgerGrain : ILedgerGrain
{
}

/// <summary>Orleans' pattern: the log-consistency provider keeps the journal in the grain's [StorageProvider] store.</summary>
[LogConsistencyProvider(ProviderName = "LogStorage")]
[StorageProvider(ProviderName = "journal")]
public sealed class LogConsistencyLedgerGrain(Probe probe) : LedgerGrain(probe), ILogConsistencyLedgerGrain
{
}

public interface IMisconfiguredLedgerGrain : IGrainWithStringKey
{
    Task<int> GetVersion();
}

[StorageProvider(ProviderName = "missing-journal")]
public sealed class MisconfiguredLedgerGrain : JournaledGrain<LedgerState, LedgerEvent>, IMisconfiguredLedgerGrain
{
    public Task<int> GetVersion() => Task.FromResult(Version);
}

public interface IMissingProviderLedgerGrain : IGrainWithStringKey
{
    Task<int> GetVersion();
}

[LogConsistencyProvider(ProviderName = "missing-provider")]
public sealed class MissingProviderLedgerGrain : JournaledGrain<LedgerState, LedgerEvent>, IMissingProviderLedgerGrain
{
    public Task<int> GetVersion() => Task.FromResult(Version);
}

public interface IReentrantLedgerGrain : ILedgerGrain
{
}

/// <summary>Reentrant: deposits interleave while appends are in flight.</summary>
[Reentrant]
[StorageProvider(ProviderName = "journal")]
public sealed class ReentrantLedgerGrain(Probe probe) : LedgerGrain(probe), IReentrantLedgerGrain
{
}
