namespace Actors.Orleans.Demo.Grains.Accounts;

/// <summary>
/// A journaled bank account: every change is an event in the account's own write-ahead-log stream. A call that returns
/// is durable: kill the silo right after it and the change is there after the restart.
/// </summary>
[Alias("bank.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Pays money in.</summary>
    [Alias("Deposit")]
    Task<AccountBalance> Deposit(decimal amount, string reference);

    /// <summary>Pays money out.</summary>
    /// <exception cref="InsufficientFundsException">The balance is too low; nothing changed.</exception>
    [Alias("Withdraw")]
    Task<AccountBalance> Withdraw(decimal amount, string reference);

    /// <summary>
    /// Moves money to another account: the debit is durable before the target is credited; if the silo dies in between,
    /// the transfer stays pending and the account settles it on its next call (the target credits each transfer once).
    /// </summary>
    /// <exception cref="InsufficientFundsException">The balance is too low; nothing changed.</exception>
    [Alias("Transfer")]
    Task<AccountBalance> Transfer(string toAccount, decimal amount, string transferId);

    /// <summary>Credits a transfer from another account once per transfer id (repeats change nothing).</summary>
    [Alias("Credit")]
    Task<AccountBalance> Credit(string transferId, string fromAccount, decimal amount);

    /// <summary>The balance and version, after settling transfers left pending.</summary>
    [Alias("GetBalance")]
    Task<AccountBalance> GetBalance();

    /// <summary>The confirmed events from <paramref name="fromVersion"/> (inclusive) to <paramref name="toVersion"/> (exclusive), read from the log.</summary>
    [Alias("GetConfirmedEvents")]
    Task<IReadOnlyList<AccountEvent>> GetConfirmedEvents(int fromVersion, int toVersion);
}
