using Actors.Persistence.Wal;

namespace Actors.Persistence.Wal.Tests.Journal;

public abstract record BankEvent;

[EventType("bank-deposited")]
public sealed record BankDeposited(decimal Amount) : BankEvent;

[EventType("bank-withdrawn")]
public sealed record BankWithdrawn(decimal Amount) : BankEvent;

public sealed record BankUnnamed(decimal Amount) : BankEvent;

[EventType("bank-memo")]
public sealed record BankMemo(string Text) : BankEvent;

public sealed class BankState
{
    public decimal Balance { get; set; }

    public int Transactions { get; set; }

    public void Apply(BankEvent e)
    {
        switch (e)
        {
            case BankDeposited d:
                Balance += d.Amount;
                break;
            case BankWithdrawn w:
                if (w.Amount > Balance)
                {
                    throw new InvalidOperationException("insufficient funds");
                }

                Balance -= w.Amount;
                break;
            case BankMemo:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e, "unknown event");
        }

        Transactions++;
    }
}
