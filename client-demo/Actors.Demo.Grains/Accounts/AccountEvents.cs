using Actors.Persistence.Wal;

namespace Actors.Demo.Grains.Accounts;

/// <summary>The events of a bank account. Stable names on disk; the CLR names may change freely.</summary>
public abstract record AccountEvent;

/// <summary>Money paid in.</summary>
[EventType("account-deposited")]
public sealed record Deposited(decimal Amount, string Reference) : AccountEvent;

/// <summary>Money paid out.</summary>
[EventType("account-withdrawn")]
public sealed record Withdrawn(decimal Amount, string Reference) : AccountEvent;

/// <summary>A transfer left this account; it stays pending until the target confirmed it.</summary>
[EventType("account-transfer-sent")]
public sealed record TransferSent(string TransferId, string ToAccount, decimal Amount) : AccountEvent;

/// <summary>The target account confirmed a transfer sent by this account.</summary>
[EventType("account-transfer-completed")]
public sealed record TransferCompleted(string TransferId) : AccountEvent;

/// <summary>A transfer arrived from another account (recorded once per transfer id).</summary>
[EventType("account-transfer-received")]
public sealed record TransferReceived(string TransferId, string FromAccount, decimal Amount) : AccountEvent;
