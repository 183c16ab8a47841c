using Actors.Orleans.ClientDemo.Verification;
using Actors.Orleans.ClientDemo.Workload;
using Actors.Orleans.Demo.Grains.Accounts;
using Actors.Orleans.Demo.Grains.Customers;

namespace Actors.Orleans.Crash.Tests.Verification;

/// <summary>
/// The verifier the demo and the kill test rely on, against fake grains: it passes an intact recovery and fails every
/// kind of loss or partial write with a message naming the grain and the version.
/// </summary>
public sealed class RecoveryVerifierTests
{
    private const string A = "t/account-0";
    private const string B = "t/account-1";
    private const string C = "t/customer-0";
    private readonly Ledger _ledger = new("t", accounts: 2, customers: 1);
    private readonly FakeBank _bank = new();

    [Fact]
    public async Task Verify_EverythingAcknowledgedStored_PassesAndRebases()
    {
        Acknowledge(Deposit(1, A, 100m), Deposit(2, B, 50m), Transfer(3, A, B, 30m), Rename(4, "Ada"));

        RecoveryReport report = await VerifyAsync();

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        Assert.Equal(5, report.EventsCompared);   // A: deposit, debit, settle; B: deposit, credit
        Assert.Equal(150m, report.Money);
        Assert.Equal(3, _ledger.Account(A).VerifiedVersion);
        Assert.Empty(_ledger.Account(A).Expected);
    }

    [Fact]
    public async Task Verify_LastAcknowledgedEventMissing_FailsNamingAccountAndVersion()
    {
        Acknowledge(Deposit(1, A, 100m), Deposit(2, B, 50m));
        Acknowledge(Deposit(3, A, 7m));
        _bank.Account(A).History.RemoveAt(1);

        RecoveryReport report = await VerifyAsync();

        string failure = Assert.Single(report.Failures, f => f.StartsWith(A, StringComparison.Ordinal));
        Assert.Contains("event 2 must be the acknowledged", failure, StringComparison.Ordinal);
        Assert.Contains("nothing", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_InDoubtTransferOnlyDebited_FailsAsPartialWrite()
    {
        Acknowledge(Deposit(1, A, 100m), Deposit(2, B, 50m));
        BankCall transfer = Transfer(3, A, B, 30m);
        _ledger.Sending();
        _ledger.Unknown(transfer);
        _bank.Account(A).History.Add(new TransferDebited(transfer.Reference, B, 30m));
        _bank.Account(A).History.Add(new TransferSettled(transfer.Reference));

        RecoveryReport report = await VerifyAsync();

        Assert.Contains(report.Failures, f => f.Contains("partial across accounts", StringComparison.Ordinal) && f.Contains(A, StringComparison.Ordinal) && f.Contains(B, StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.StartsWith("Money not conserved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_InDoubtDepositWholeOrAbsent_PassesBothWays()
    {
        Acknowledge(Deposit(1, A, 100m), Deposit(2, B, 50m));
        BankCall present = Deposit(3, A, 5m);
        BankCall absent = Deposit(4, B, 6m);
        _ledger.Sending();
        _ledger.Unknown(present);
        _ledger.Sending();
        _ledger.Unknown(absent);
        _bank.Account(A).History.AddRange(present.EventsFor(A));

        RecoveryReport report = await VerifyAsync();

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        Assert.Equal((1, 1), (report.InDoubtPresent, report.InDoubtAbsent));
        Assert.Equal(155m, report.Money);
    }

    [Fact]
    public async Task Verify_ForeignEventAfterAcknowledged_Fails()
    {
        Acknowledge(Deposit(1, A, 100m), Deposit(2, B, 50m));
        _bank.Account(B).History.Add(new Deposited(1m, "ref-999"));

        RecoveryReport report = await VerifyAsync();

        Assert.Contains(report.Failures, f => f.StartsWith(B, StringComparison.Ordinal) && f.Contains("partial or foreign write", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_BalanceDiffersFromReplay_Fails()
    {
        Acknowledge(Deposit(1, A, 100m), Deposit(2, B, 50m));
        _bank.Account(A).ReportedBalance = 101m;

        RecoveryReport report = await VerifyAsync();

        Assert.Contains(report.Failures, f => f.StartsWith(A, StringComparison.Ordinal) && f.Contains("replay", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_CustomerUpdateLost_FailsNamingCustomer()
    {
        Acknowledge(Deposit(1, A, 100m), Deposit(2, B, 50m), Rename(3, "Ada"));
        _bank.Customer(C).Summary = new CustomerSummary(C, "", [], 0, null);

        RecoveryReport report = await VerifyAsync();

        Assert.Contains(report.Failures, f => f.StartsWith(C, StringComparison.Ordinal) && f.Contains("name 'Ada'", StringComparison.Ordinal));
    }

    private Task<RecoveryReport> VerifyAsync() => RecoveryVerifier.VerifyAsync(_bank, _ledger, parallelism: 2, CancellationToken.None);

    /// <summary>Records the calls as acknowledged and stores their effect in the fake grains, as a silo would have.</summary>
    private void Acknowledge(params BankCall[] calls)
    {
        foreach (BankCall call in calls)
        {
            _ledger.Sending();
            _ledger.Succeeded(call);
            foreach (string account in call.Accounts)
            {
                _bank.Account(account).History.AddRange(call.EventsFor(account));
            }

            if (call.IsCustomerCall)
            {
                CustomerLedger customer = _ledger.Customer(call.Subject);
                _bank.Customer(call.Subject).Summary = new CustomerSummary(call.Subject, customer.Name, [.. customer.Accounts], customer.ActivityEntries, customer.LastActivity);
            }
        }

        foreach (AccountLedger account in _ledger.Accounts)
        {
            _ = _bank.Account(account.Id);
        }
    }

    private static BankCall Deposit(long id, string account, decimal amount) => new(id, CallKind.Deposit, account, null, amount, null);

    private static BankCall Transfer(long id, string from, string to, decimal amount) => new(id, CallKind.Transfer, from, to, amount, null);

    private static BankCall Rename(long id, string name) => new(id, CallKind.Rename, C, null, 0m, name);
}
