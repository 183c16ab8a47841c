using Actors.Journaling;

namespace Actors.Demo.Grains.Accounts;

/// <summary>A bank account's state: the fold of its events.</summary>
public sealed class AccountState : IApply<AccountEvent>
{
    /// <summary>The available balance (pending outgoing transfers are already deducted).</summary>
    public decimal Balance { get; set; }

    /// <summary>How many events were applied.</summary>
    public long Transactions { get; set; }

    /// <summary>Outgoing transfers not yet confirmed by their target, by transfer id.</summary>
    public Dictionary<string, PendingTransfer> PendingTransfers { get; set; } = [];

    /// <summary>Ids of incoming transfers already credited (makes receiving idempotent).</summary>
    public HashSet<string> ReceivedTransfers { get; set; } = [];

    /// <inheritdoc />
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
            case TransferSent s:
                Balance -= s.Amount;
                PendingTransfers[s.TransferId] = new PendingTransfer(s.ToAccount, s.Amount);
                break;
            case TransferCompleted c:
                PendingTransfers.Remove(c.TransferId);
                break;
            case TransferReceived r:
                Balance += r.Amount;
                ReceivedTransfers.Add(r.TransferId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown account event.");
        }

        Transactions++;
    }
}

/// <summary>An outgoing transfer waiting for its target.</summary>
/// <param name="ToAccount">The target account id.</param>
/// <param name="Amount">The amount.</param>
public sealed record PendingTransfer(string ToAccount, decimal Amount);
