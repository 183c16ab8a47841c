namespace Actors.Orleans.Demo.Grains.Accounts;

/// <summary>A bank account's state: the fold of its events (<see cref="Apply"/>, a typed switch).</summary>
[GenerateSerializer, Alias("bank.account-state")]
public sealed class AccountState
{
    /// <summary>The available balance (money in outgoing transfers is already deducted).</summary>
    [Id(0)]
    public decimal Balance { get; set; }

    /// <summary>Outgoing transfers the target has not confirmed yet, by transfer id.</summary>
    [Id(1)]
    public Dictionary<string, PendingTransfer> Pending { get; set; } = [];

    /// <summary>Incoming transfer ids already credited: crediting is idempotent.</summary>
    [Id(2)]
    public HashSet<string> Credited { get; set; } = [];

    /// <summary>Applies one event: its effect on the balance, then on the transfers it opens, settles or credits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not an account event; nothing changed.</exception>
    public void Apply(AccountEvent @event)
    {
        decimal change = @event switch
        {
            Deposited paidIn => paidIn.Amount,
            Withdrawn paidOut => -paidOut.Amount,
            TransferDebited debit => -debit.Amount,
            TransferCredited credit => credit.Amount,
            TransferSettled => 0m,
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event?.GetType().Name, "Not an account event."),
        };
        if (@event is TransferDebited opened)
        {
            Pending[opened.TransferId] = new PendingTransfer(opened.ToAccount, opened.Amount);
        }
        else if (@event is TransferSettled settled)
        {
            Pending.Remove(settled.TransferId);
        }
        else if (@event is TransferCredited received)
        {
            Credited.Add(received.TransferId);
        }

        Balance += change;
    }
}

/// <summary>An outgoing transfer waiting for its target.</summary>
/// <param name="ToAccount">The target account.</param>
/// <param name="Amount">The amount.</param>
[GenerateSerializer, Alias("bank.pending-transfer")]
public sealed record PendingTransfer([property: Id(0)] string ToAccount, [property: Id(1)] decimal Amount);
