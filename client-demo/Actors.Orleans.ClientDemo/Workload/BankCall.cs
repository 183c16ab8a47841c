using Actors.Orleans.Demo.Grains.Accounts;

namespace Actors.Orleans.ClientDemo.Workload;

/// <summary>
/// One call the workload sends. What it must leave in each account's stream is built from the grains' own event
/// records, so the verifier compares the stored history with these values one by one (records compare by value).
/// </summary>
/// <param name="Id">Unique within the run; references and transfer ids derive from it.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Subject">The account (the source of a transfer) or the customer.</param>
/// <param name="Other">The target account of a transfer, or the account added to a customer.</param>
/// <param name="Amount">The amount (whole units).</param>
/// <param name="Text">The new name or the activity entry of a customer call.</param>
public sealed record BankCall(long Id, CallKind Kind, string Subject, string? Other, decimal Amount, string? Text)
{
    /// <summary>Whether it calls a customer grain (else an account grain).</summary>
    public bool IsCustomerCall => Kind is CallKind.Rename or CallKind.AddAccount or CallKind.Audit;

    /// <summary>The deposit or withdrawal reference, or the transfer id.</summary>
    public string Reference => Kind == CallKind.Transfer ? $"tx-{Id}" : $"ref-{Id}";

    /// <summary>The accounts whose streams a successful call writes.</summary>
    public IReadOnlyList<string> Accounts => Kind switch
    {
        CallKind.Transfer => [Subject, Other!],
        CallKind.Deposit or CallKind.Withdraw => [Subject],
        _ => [],
    };

    /// <summary>The events a successful call leaves in <paramref name="account"/>'s stream, in stream order.</summary>
    public IReadOnlyList<AccountEvent> EventsFor(string account)
    {
        if (Kind == CallKind.Transfer)
        {
            return account == Subject ? [new TransferDebited(Reference, Other!, Amount), new TransferSettled(Reference)]
                : account == Other ? [new TransferCredited(Reference, Subject, Amount)]
                : [];
        }

        return account != Subject ? []
            : Kind == CallKind.Deposit ? [new Deposited(Amount, Reference)]
            : Kind == CallKind.Withdraw ? [new Withdrawn(Amount, Reference)]
            : [];
    }

    /// <summary>How a successful call changes <paramref name="account"/>'s balance.</summary>
    public decimal BalanceChange(string account) => (Kind, account == Subject, account == Other) switch
    {
        (CallKind.Deposit, true, _) => Amount,
        (CallKind.Withdraw, true, _) => -Amount,
        (CallKind.Transfer, true, _) => -Amount,
        (CallKind.Transfer, _, true) => Amount,
        _ => 0m,
    };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        CallKind.Transfer => $"call {Id}: transfer {Amount} from {Subject} to {Other}",
        CallKind.Deposit => $"call {Id}: deposit {Amount} into {Subject}",
        CallKind.Withdraw => $"call {Id}: withdraw {Amount} from {Subject}",
        _ => $"call {Id}: {Kind} on {Subject} ({Text ?? Other})",
    };
}
