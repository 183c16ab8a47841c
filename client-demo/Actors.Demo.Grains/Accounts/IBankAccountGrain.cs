namespace Actors.Demo.Grains.Accounts;

/// <summary>
/// A bank account whose every change is an event in the account's own write-ahead-log stream. A completed call is
/// durable: kill the silo right after it returns and the change is still there after the restart.
/// </summary>
public interface IBankAccountGrain : IGrainWithStringKey
{
    /// <summary>Pays money in.</summary>
    Task<AccountBalance> Deposit(decimal amount, string reference);

    /// <summary>Pays money out.</summary>
    /// <exception cref="InsufficientFundsException">The balance is too low; nothing changed.</exception>
    Task<AccountBalance> Withdraw(decimal amount, string reference);

    /// <summary>
    /// Moves money to another account. The debit is durable before the target is called; if the silo dies in between,
    /// the transfer stays pending and is completed when this account activates again (the target ignores duplicates).
    /// </summary>
    /// <exception cref="InsufficientFundsException">The balance is too low; nothing changed.</exception>
    Task<AccountBalance> Transfer(string toAccount, decimal amount, string transferId);

    /// <summary>Credits a transfer from another account once per transfer id (repeats are ignored).</summary>
    Task<AccountBalance> ReceiveTransfer(string transferId, string fromAccount, decimal amount);

    /// <summary>The current balance and version.</summary>
    Task<AccountBalance> GetBalance();

    /// <summary>The confirmed events between two versions (Orleans' convention: <c>(0, Version)</c> is everything).</summary>
    Task<IReadOnlyList<string>> GetHistory(long fromVersion, long toVersion);
}
