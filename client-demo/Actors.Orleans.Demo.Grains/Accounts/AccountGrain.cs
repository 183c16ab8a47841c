using Orleans.Concurrency;
using Orleans.EventSourcing;

namespace Actors.Orleans.Demo.Grains.Accounts;

/// <summary>A journaled bank account on the silo's write-ahead log (one stream per account).</summary>
/// <remarks>
/// <para>
/// Reentrant, so two accounts settling transfers towards each other never wait on each other's turn. Every balance
/// check and the <c>RaiseEvent</c> it guards run in one turn against <c>TentativeState</c>, so interleaved calls
/// cannot overdraw; a rejected call raises nothing.
/// </para>
/// <para>
/// A transfer is three durable legs: <see cref="TransferDebited"/> here, <see cref="TransferCredited"/> on the target
/// (idempotent per transfer id), <see cref="TransferSettled"/> here. A kill between legs leaves the transfer pending in
/// the state; the next call to this account finishes it, so money is neither created nor lost. A call that finds a
/// transfer's settlement already running (an earlier call still waiting on the target, perhaps one whose caller
/// timed out) waits for that settlement instead of answering with the transfer still pending; <see cref="GetBalance"/>
/// also waits for the events other calls raised to be confirmed, so a balance read never misses a write still under way.
/// </para>
/// </remarks>
[Reentrant]
[WriteAheadLog(CheckpointEveryEvents = 100)]
public sealed class AccountGrain : JournaledGrain<AccountState, AccountEvent>, IAccountGrain
{
    private readonly Dictionary<string, Task> _settlements = [];

    /// <inheritdoc />
    public async Task<AccountBalance> Deposit(decimal amount, string reference)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        await SettlePendingAsync();
        RaiseEvent(new Deposited(amount, reference));
        await ConfirmEvents();
        return Snapshot();
    }

    /// <inheritdoc />
    public async Task<AccountBalance> Withdraw(decimal amount, string reference)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        await SettlePendingAsync();
        RejectUnlessCovered(amount);
        RaiseEvent(new Withdrawn(amount, reference));
        await ConfirmEvents();
        return Snapshot();
    }

    /// <inheritdoc />
    public async Task<AccountBalance> Transfer(string toAccount, decimal amount, string transferId)
    {
        ArgumentException.ThrowIfNullOrEmpty(toAccount);
        ArgumentException.ThrowIfNullOrEmpty(transferId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        if (toAccount == this.GetPrimaryKeyString())
        {
            throw new ArgumentException("An account cannot transfer to itself.", nameof(toAccount));
        }

        await SettlePendingAsync();
        if (TentativeState.Pending.ContainsKey(transferId))
        {
            return Snapshot();
        }

        RejectUnlessCovered(amount);
        RaiseEvent(new TransferDebited(transferId, toAccount, amount));
        await ConfirmEvents();
        await SettleAsync(transferId, new PendingTransfer(toAccount, amount));
        return Snapshot();
    }

    /// <inheritdoc />
    public async Task<AccountBalance> Credit(string transferId, string fromAccount, decimal amount)
    {
        if (!TentativeState.Credited.Contains(transferId))
        {
            RaiseEvent(new TransferCredited(transferId, fromAccount, amount));
        }

        await ConfirmEvents();
        return Snapshot();
    }

    /// <inheritdoc />
    public async Task<AccountBalance> GetBalance()
    {
        // Another call's events still being confirmed (its caller may have timed out) are waited for, as its settlement is.
        await ConfirmEvents();
        await SettlePendingAsync();
        return Snapshot();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccountEvent>> GetConfirmedEvents(int fromVersion, int toVersion) => RetrieveConfirmedEvents(fromVersion, toVersion);

    /// <inheritdoc />
    protected override void TransitionState(AccountState state, AccountEvent @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Apply(@event);
    }

    private async Task SettlePendingAsync()
    {
        foreach ((string transferId, PendingTransfer pending) in State.Pending.ToArray())
        {
            await SettleAsync(transferId, pending);
        }
    }

    private Task SettleAsync(string transferId, PendingTransfer pending)
    {
        if (_settlements.TryGetValue(transferId, out Task? running))
        {
            return running;
        }

        Task settlement = SettleOnceAsync(transferId, pending);
        if (!settlement.IsCompleted)
        {
            _settlements[transferId] = settlement;
        }

        return settlement;
    }

    private async Task SettleOnceAsync(string transferId, PendingTransfer pending)
    {
        try
        {
            await GrainFactory.GetGrain<IAccountGrain>(pending.ToAccount).Credit(transferId, this.GetPrimaryKeyString(), pending.Amount);
            if (State.Pending.ContainsKey(transferId))
            {
                RaiseEvent(new TransferSettled(transferId));
                await ConfirmEvents();
            }
        }
        finally
        {
            _settlements.Remove(transferId);
        }
    }

    private void RejectUnlessCovered(decimal amount)
    {
        if (amount > TentativeState.Balance)
        {
            throw new InsufficientFundsException(this.GetPrimaryKeyString(), TentativeState.Balance, amount);
        }
    }

    private AccountBalance Snapshot() => new(this.GetPrimaryKeyString(), State.Balance, State.Pending.Values.Sum(p => p.Amount), Version);
}
