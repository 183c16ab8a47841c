using Actors.Demo.Grains.Accounts;

namespace Actors.ClientDemo.Workload;

/// <summary>
/// One operation the workload sent. Its expected effect on each grain is computed from the same event types the grains
/// raise, so the verifier compares the stored history with exactly what an acknowledged call must have written.
/// </summary>
/// <param name="Id">A number unique within the run (references and transfer ids derive from it).</param>
/// <param name="Kind">What it does.</param>
/// <param name="Account">The account (source account of a transfer), or null for customer operations.</param>
/// <param name="Target">The target account of a transfer, or the account added to a customer.</param>
/// <param name="Customer">The customer of a customer operation.</param>
/// <param name="Amount">The amount (whole units, so its text form is the same in every culture).</param>
/// <param name="Text">The new name or the audit entry of a customer operation.</param>
public sealed record BankOperation(long Id, OperationKind Kind, string? Account, string? Target, string? Customer, decimal Amount, string? Text)
{
    /// <summary>The deposit/withdrawal reference or the transfer id.</summary>
    public string Reference => Kind == OperationKind.Transfer ? $"tx-{Id}" : $"op-{Id}";

    /// <summary>The accounts whose streams this operation writes.</summary>
    public IEnumerable<string> Accounts()
    {
        if (Kind is OperationKind.Deposit or OperationKind.Withdraw or OperationKind.Transfer)
        {
            yield return Account!;
        }

        if (Kind == OperationKind.Transfer)
        {
            yield return Target!;
        }
    }

    /// <summary>The events an acknowledged (successful) call leaves in <paramref name="account"/>'s stream, in order, as the grain's history renders them.</summary>
    public IReadOnlyList<string> EventsFor(string account) => Kind switch
    {
        OperationKind.Deposit when account == Account => [new Deposited(Amount, Reference).ToString()],
        OperationKind.Withdraw when account == Account => [new Withdrawn(Amount, Reference).ToString()],
        OperationKind.Transfer when account == Account => [new TransferSent(Reference, Target!, Amount).ToString(), new TransferCompleted(Reference).ToString()],
        OperationKind.Transfer when account == Target => [new TransferReceived(Reference, Account!, Amount).ToString()],
        _ => [],
    };

    /// <summary>How a successful call changes <paramref name="account"/>'s balance.</summary>
    public decimal BalanceDelta(string account) => Kind switch
    {
        OperationKind.Deposit when account == Account => Amount,
        OperationKind.Withdraw when account == Account => -Amount,
        OperationKind.Transfer when account == Account => -Amount,
        OperationKind.Transfer when account == Target => Amount,
        _ => 0m,
    };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        OperationKind.Transfer => $"#{Id} transfer {Amount} {Account} -> {Target}",
        OperationKind.Deposit or OperationKind.Withdraw => $"#{Id} {Kind.ToString().ToLowerInvariant()} {Amount} {Account}",
        _ => $"#{Id} {Kind.ToString().ToLowerInvariant()} {Customer} '{Text ?? Target}'",
    };
}
