using Actors.Journaling;
using Actors.Runtime.Tests.Infrastructure;
using Actors.Storage;

namespace Actors.Runtime.Tests.Grains;

public abstract record LedgerEvent;

public sealed record Deposited(decimal Amount) : LedgerEvent;

public sealed record Withdrawn(decimal Amount) : LedgerEvent;

/// <summary>The test journal store cannot encode this event.</summary>
public sealed record Unencodable(string Reason) : LedgerEvent;

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
    Task<long> Deposit(decimal amount);

    Task<long> DepositMany(decimal[] amounts);

    Task RaiseOnly(decimal amount);

    Task Confirm();

    Task<decimal> Balance();

    Task<decimal> TentativeBalance();

    Task<long> GetVersion();

    Task<int> Unconfirmed();

    Task<decimal[]> History(long fromVersion, long toVersion);

    Task RaiseUnencodable();

    Task Deactivate();

    Task<int> StateChanges();
}

public class LedgerGrain : JournaledGrain<LedgerState, LedgerEvent>, ILedgerGrain
{
    private readonly Probe _probe;
    private int _stateChanges;

    public LedgerGrain(Probe probe)
    {
        _probe = probe;
        _probe.Record($"ctor:{GetPrimaryKeyString()}");
    }

    public async Task<long> Deposit(decimal amount)
    {
        RaiseEvent(new Deposited(amount));
        await ConfirmEvents();
        return Version;
    }

    public async Task<long> DepositMany(decimal[] amounts)
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

    public Task Confirm() => ConfirmEvents();

    public Task<decimal> Balance() => Task.FromResult(State.Balance);

    public Task<decimal> TentativeBalance() => Task.FromResult(TentativeState.Balance);

    public Task<long> GetVersion() => Task.FromResult(Version);

    public Task<int> Unconfirmed() => Task.FromResult(UnconfirmedEvents.Count);

    public async Task<decimal[]> History(long fromVersion, long toVersion)
        => [.. (await RetrieveConfirmedEvents(fromVersion, toVersion)).Select(e => e is Deposited d ? d.Amount : -((Withdrawn)e).Amount)];

    public Task RaiseUnencodable()
    {
        RaiseEvent(new Unencodable("test"));
        return Task.CompletedTask;
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<int> StateChanges() => Task.FromResult(_stateChanges);

    protected override void OnStateChanged() => _stateChanges++;
}

public interface IDurableLedgerGrain : ILedgerGrain
{
}

[GrainStorage(StoreName = "journal")]
public sealed class DurableLedgerGrain(Probe probe) : LedgerGrain(probe), IDurableLedgerGrain
{
}

public interface IMisconfiguredLedgerGrain : IGrainWithStringKey
{
    Task<long> GetVersion();
}

[GrainStorage(StoreName = "missing-journal")]
public sealed class MisconfiguredLedgerGrain : JournaledGrain<LedgerState, LedgerEvent>, IMisconfiguredLedgerGrain
{
    public Task<long> GetVersion() => Task.FromResult(Version);
}

public interface IReentrantLedgerGrain : ILedgerGrain
{
}

/// <summary>Reentrant: deposits interleave while appends are in flight.</summary>
[Reentrant]
[GrainStorage(StoreName = "journal")]
public sealed class ReentrantLedgerGrain(Probe probe) : LedgerGrain(probe), IReentrantLedgerGrain
{
}
