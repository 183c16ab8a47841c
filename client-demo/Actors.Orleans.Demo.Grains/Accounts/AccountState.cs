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

    /// <summary>Applies one event.</summary>
    public void Apply(AccountEvent @event)
    {
        switch (@event)
        {
            case Deposited d:
                Balance += d.Amount;
                break;
            case Withdrawn w:
                Balance -= w.Amount;
                break;
            case TransferDebited s:
                Balance -= s.Amount;
                Pending[s.TransferId] = new PendingTransfer(s.ToAccount, s.Amount);
                break;
            case TransferCredited r:
                Balance += r.Amount;
                Credited.Add(r.TransferId);
                break;
            case TransferSettled c:
                Pending.Remove(c.TransferId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(@event), @event?.GetType().Name, "Not an account event.");
        }
    }
}

/// <summary>An outgoing transfer waiting for its target.</summary>
/// <param name="ToAccount">The target account.</param>
/// <param name="Amount">The amount.</param>
[GenerateSerializer, Alias("bank.pending-transfer")]
public sealed record PendingTransfer([property: Id(0)] string ToAccount, [property: Id(1)] decimal Amount);
