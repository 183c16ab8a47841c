namespace Actors.Orleans.Demo.Grains.Accounts;

/// <summary>An event of a bank account: one record in the account's write-ahead-log stream.</summary>
/// <remarks>Records compare by value, so a client compares the stored history with what it expects event by event.</remarks>
[GenerateSerializer, Alias("bank.event")]
public abstract record AccountEvent;

/// <summary>Money paid in.</summary>
[GenerateSerializer, Alias("bank.deposited")]
public sealed record Deposited([property: Id(0)] decimal Amount, [property: Id(1)] string Reference) : AccountEvent;

/// <summary>Money paid out.</summary>
[GenerateSerializer, Alias("bank.withdrawn")]
public sealed record Withdrawn([property: Id(0)] decimal Amount, [property: Id(1)] string Reference) : AccountEvent;

/// <summary>The first leg of a transfer: the money left this account; pending until the target confirmed it.</summary>
[GenerateSerializer, Alias("bank.transfer-debited")]
public sealed record TransferDebited([property: Id(0)] string TransferId, [property: Id(1)] string ToAccount, [property: Id(2)] decimal Amount) : AccountEvent;

/// <summary>The second leg of a transfer, on the target: the money arrived (once per transfer id).</summary>
[GenerateSerializer, Alias("bank.transfer-credited")]
public sealed record TransferCredited([property: Id(0)] string TransferId, [property: Id(1)] string FromAccount, [property: Id(2)] decimal Amount) : AccountEvent;

/// <summary>The last leg, on the source: the target confirmed the credit, the transfer is no longer pending.</summary>
[GenerateSerializer, Alias("bank.transfer-settled")]
public sealed record TransferSettled([property: Id(0)] string TransferId) : AccountEvent;
