using Actors.Concurrency;
using Actors.Journaling;
using Actors.Persistence.Wal;

namespace Actors.Demo.Grains.Accounts;

/// <summary>A journaled bank account: deposits, withdrawals and transfers with a balance check.</summary>
/// <remarks>
/// <para>
/// Reentrant so that two accounts transferring to each other at the same time do not wait on each other's turn.
/// Turns interleave only at <c>await</c>: each balance check and the <c>RaiseEvent</c> it guards run in one turn,
/// against <see cref="JournaledGrain{TState, TEvent}.TentativeState"/>, so interleaved calls cannot overdraw.
/// </para>
/// <para>
/// Transfers: the debit (<see cref="TransferSent"/>) is confirmed first, then the target is credited (idempotent per
/// transfer id), then <see cref="TransferCompleted"/> is confirmed. If the silo dies in between, the transfer stays
/// pending in the state and the next call to this account completes it, so no money is created or lost.
/// </para>
/// </remarks>
[GrainType("account")]
[Reentrant]
[WriteAheadLog(CheckpointEveryEvents = 100)]
public sealed class BankAccountGrain : JournaledGrain<AccountState, AccountEvent>, IBankAccountGrain
{
    private readonly HashSet<string> _completing = [];

    /// <inheritdoc />
    public async Task<AccountBalance> Deposit(decimal amount, string reference)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        await CompletePendingTransfersAsync();
        RaiseEvent(new Deposited(amount, reference));
        await ConfirmEvents();
        return Balance();
    }

    /// <inheritdoc />
    public async Task<AccountBalance> Withdraw(decimal amount, string reference)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        await CompletePendingTransfersAsync();
        EnsureFunds(amount);
        RaiseEvent(new Withdrawn(amount, reference));
        await ConfirmEvents();
        return Balance();
    }

    /// <inheritdoc />
    public async Task<AccountBalance> Transfer(string toAccount, decimal amount, string transferId)
    {
        ArgumentException.ThrowIfNullOrEmpty(toAccount);
        ArgumentException.ThrowIfNullOrEmpty(transferId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        if (toAccount == GetPrimaryKeyString())
        {
            throw new ArgumentException("An account cannot transfer to itself.", nameof(toAccount));
        }

        await CompletePendingTransfersAsync();
        if (TentativeState.PendingTransfers.ContainsKey(transferId))
        {
            return Balance();
        }

        EnsureFunds(amount);
        RaiseEvent(new TransferSent(transferId, toAccount, amount));
        await ConfirmEvents();
        await CompleteTransferAsync(transferId, new PendingTransfer(toAccount, amount));
        return Balance();
    }

    /// <inheritdoc />
    public async Task<AccountBalance> ReceiveTransfer(string transferId, string fromAccount, decimal amount)
    {
        if (!TentativeState.ReceivedTransfers.Contains(transferId))
        {
            RaiseEvent(new TransferReceived(transferId, fromAccount, amount));
        }

        await ConfirmEvents();
        return Balance();
    }

    /// <inheritdoc />
    public async Task<AccountBalance> GetBalance()
    {
        await CompletePendingTransfersAsync();
        return Balance();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetHistory(long fromVersion, long toVersion)
    {
        IReadOnlyList<AccountEvent> events = await RetrieveConfirmedEvents(checked((int)fromVersion), checked((int)toVersion));
        return events.Select(e => e.ToString()).ToList();
    }

    private async Task CompletePendingTransfersAsync()
    {
        foreach ((string transferId, PendingTransfer pending) in State.PendingTransfers.ToArray())
        {
            await CompleteTransferAsync(transferId, pending);
        }
    }

    private async Task CompleteTransferAsync(string transferId, PendingTransfer pending)
    {
        if (!_completing.Add(transferId))
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IBankAccountGrain>(pending.ToAccount).ReceiveTransfer(transferId, GetPrimaryKeyString(), pending.Amount);
            if (State.PendingTransfers.ContainsKey(transferId))
            {
                RaiseEvent(new TransferCompleted(transferId));
                await ConfirmEvents();
            }
        }
        finally
        {
            _completing.Remove(transferId);
        }
    }

    private void EnsureFunds(decimal amount)
    {
        if (amount > TentativeState.Balance)
        {
            throw new InsufficientFundsException(GetPrimaryKeyString(), TentativeState.Balance, amount);
        }
    }

    private AccountBalance Balance() => new(
        GetPrimaryKeyString(),
        State.Balance,
        State.PendingTransfers.Values.Sum(p => p.Amount),
        Version);
}
