using Actors.Orleans.Demo.Grains.Accounts;

namespace Actors.Orleans.Crash.Tests.Verification;

/// <summary>An account whose confirmed history the test writes directly, as a recovered silo would serve it.</summary>
internal sealed class FakeAccountGrain(string id) : IAccountGrain
{
    public List<AccountEvent> History { get; } = [];

    /// <summary>When set, the balance the grain reports instead of the replay of <see cref="History"/>.</summary>
    public decimal? ReportedBalance { get; set; }

    public Task<AccountBalance> GetBalance()
    {
        var state = new AccountState();
        History.ForEach(state.Apply);
        return Task.FromResult(new AccountBalance(id, ReportedBalance ?? state.Balance, state.Pending.Values.Sum(p => p.Amount), History.Count));
    }

    public Task<IReadOnlyList<AccountEvent>> GetConfirmedEvents(int fromVersion, int toVersion) =>
        Task.FromResult<IReadOnlyList<AccountEvent>>(History.GetRange(fromVersion, toVersion - fromVersion));

    public Task<AccountBalance> Deposit(decimal amount, string reference) => throw new NotSupportedException("The verifier only reads.");

    public Task<AccountBalance> Withdraw(decimal amount, string reference) => throw new NotSupportedException("The verifier only reads.");

    public Task<AccountBalance> Transfer(string toAccount, decimal amount, string transferId) => throw new NotSupportedException("The verifier only reads.");

    public Task<AccountBalance> Credit(string transferId, string fromAccount, decimal amount) => throw new NotSupportedException("The verifier only reads.");
}
