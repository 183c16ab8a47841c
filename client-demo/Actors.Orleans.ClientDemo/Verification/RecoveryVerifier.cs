using Actors.Orleans.ClientDemo.Workload;
using Actors.Orleans.Demo.Grains.Accounts;
using Actors.Orleans.Demo.Grains.Customers;

namespace Actors.Orleans.ClientDemo.Verification;

/// <summary>
/// Checks through the client that a restarted silo holds exactly what the <see cref="Ledger"/> says, then rebases the
/// ledger on it. Per account: the confirmed events after the verified version are the acknowledged events in order,
/// followed by all or none of the events of its call in doubt (the same choice on both accounts of a transfer); the
/// balance equals the replay of the account's whole confirmed history and of the ledger; nothing stays pending. In
/// all: the money equals paid in minus paid out. Per customer: the replay of its acknowledged calls, with or without
/// its call in doubt. Each read is sent again while it fails with a retryable error (a leader moving, a stopping silo:
/// <see cref="RetryingRead"/>), up to <see cref="RetryingRead.Deadline"/>; a read that fails otherwise, or still fails at
/// the deadline, is itself a failure naming the grain and the error: recovery must never fail.
/// </summary>
public static class RecoveryVerifier
{
    /// <summary>Verifies and rebases <paramref name="ledger"/>.</summary>
    public static async Task<RecoveryReport> VerifyAsync(IGrainFactory grains, Ledger ledger, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(ledger);
        var report = new RecoveryReport { AcknowledgedCalls = ledger.TakeUnverified() };
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        var found = new (AccountBalance Balance, IReadOnlyList<AccountEvent> History)[ledger.Accounts.Count];
        try
        {
            // Activate every account first: activation replays its log, and the first call settles transfers the kill
            // left half done, which appends to other accounts. Read balances and histories only after that.
            await Parallel.ForEachAsync(ledger.Accounts, parallel, async (account, ct) =>
                await RetryingRead.ReadAsync($"account {account.Id} GetBalance", () => grains.GetGrain<IAccountGrain>(account.Id).GetBalance(), report.Retried, ct));
            await Parallel.ForEachAsync(Enumerable.Range(0, found.Length), parallel, async (i, ct) =>
            {
                string id = ledger.Accounts[i].Id;
                IAccountGrain grain = grains.GetGrain<IAccountGrain>(id);
                AccountBalance balance = await RetryingRead.ReadAsync($"account {id} GetBalance", grain.GetBalance, report.Retried, ct);
                found[i] = (balance, await RetryingRead.ReadAsync($"account {id} GetConfirmedEvents(0, {balance.Version})", () => grain.GetConfirmedEvents(0, balance.Version), report.Retried, ct));
            });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            report.Failures.Add($"Reading the accounts after the restart failed: {ex.GetType().Name}: {ex.Message}");
            return report;
        }

        var inDoubt = new Dictionary<long, (BankCall Call, bool Present, string Account)>();
        for (int i = 0; i < found.Length; i++)
        {
            CheckAccount(ledger.Accounts[i], found[i].Balance, found[i].History, inDoubt, report);
        }

        foreach ((BankCall call, bool present, _) in inDoubt.Values)
        {
            if (present)
            {
                report.InDoubtPresent++;
                ledger.Count(call);
            }
            else
            {
                report.InDoubtAbsent++;
            }
        }

        report.Accounts = found.Length;
        report.Money = found.Sum(f => f.Balance.Balance);
        report.ExpectedMoney = ledger.ExpectedMoney;
        if (report.Money != report.ExpectedMoney)
        {
            report.Failures.Add($"Money not conserved: the accounts hold {report.Money}; paid in minus paid out is {report.ExpectedMoney}.");
        }

        await CheckCustomersAsync(grains, ledger, parallel, report);
        return report;
    }

    private static void CheckAccount(
        AccountLedger account,
        AccountBalance balance,
        IReadOnlyList<AccountEvent> history,
        Dictionary<long, (BankCall Call, bool Present, string Account)> inDoubt,
        RecoveryReport report)
    {
        if (history.Count != balance.Version)
        {
            report.Failures.Add($"{account.Id}: version {balance.Version} but RetrieveConfirmedEvents(0, {balance.Version}) returned {history.Count} events.");
            return;
        }

        if (balance.Version < account.VerifiedVersion)
        {
            report.Failures.Add($"{account.Id}: version {balance.Version} is below version {account.VerifiedVersion}, verified before: acknowledged events are lost.");
            return;
        }

        var replay = new AccountState();
        foreach (AccountEvent e in history)
        {
            replay.Apply(e);
        }

        report.EventsReplayed += history.Count;
        if (replay.Balance != balance.Balance || replay.Pending.Count != 0 || balance.PendingOutgoing != 0m)
        {
            report.Failures.Add($"{account.Id}: the grain reports balance {balance.Balance} (pending {balance.PendingOutgoing}) at version {balance.Version}; the replay of its {history.Count} confirmed events gives {replay.Balance} with {replay.Pending.Count} transfers pending.");
            return;
        }

        int from = account.VerifiedVersion;
        for (int e = 0; e < account.Expected.Count; e++)
        {
            if (from + e >= history.Count || !Equals(history[from + e], account.Expected[e]))
            {
                string stored = from + e < history.Count ? history[from + e].ToString() : "nothing (the stream ends there)";
                report.Failures.Add($"{account.Id}: event {from + e + 1} must be the acknowledged {account.Expected[e]}; the log holds {stored}.");
                return;
            }
        }

        report.EventsCompared += history.Count - from;
        AccountEvent[] beyond = [.. history.Skip(from + account.Expected.Count)];
        BankCall? doubt = account.InDoubt;
        bool present = beyond.Length > 0;
        if (present && (doubt is null || !beyond.SequenceEqual(doubt.EventsFor(account.Id))))
        {
            report.Failures.Add($"{account.Id}: after the {account.Expected.Count} acknowledged events since version {from} the log holds [{string.Join("; ", beyond.Select(b => b.ToString()))}], "
                + $"which is not the whole effect of its call in doubt ({doubt?.ToString() ?? "none"}): a partial or foreign write.");
            return;
        }

        if (doubt is not null)
        {
            if (inDoubt.TryGetValue(doubt.Id, out var other) && other.Present != present)
            {
                report.Failures.Add($"{doubt}: partial across accounts: {(other.Present ? "present" : "absent")} in {other.Account}, {(present ? "present" : "absent")} in {account.Id}.");
            }

            inDoubt[doubt.Id] = (doubt, present, account.Id);
        }

        decimal expected = account.Balance + (present ? doubt!.BalanceChange(account.Id) : 0m);
        if (balance.Balance != expected)
        {
            report.Failures.Add($"{account.Id}: balance {balance.Balance} at version {balance.Version}; the acknowledged calls give {expected}.");
            return;
        }

        account.Rebase(balance.Version, balance.Balance);
    }

    private static async Task CheckCustomersAsync(IGrainFactory grains, Ledger ledger, ParallelOptions parallel, RecoveryReport report)
    {
        var summaries = new CustomerSummary[ledger.Customers.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, summaries.Length), parallel, async (i, ct) =>
                summaries[i] = await RetryingRead.ReadAsync(
                    $"customer {ledger.Customers[i].Id} GetSummary", () => grains.GetGrain<ICustomerGrain>(ledger.Customers[i].Id).GetSummary(), report.Retried, ct));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            report.Failures.Add($"Reading the customers after the restart failed: {ex.GetType().Name}: {ex.Message}");
            return;
        }

        for (int i = 0; i < summaries.Length; i++)
        {
            CustomerLedger customer = ledger.Customers[i];
            BankCall? doubt = customer.InDoubt;
            customer.InDoubt = null;
            if (customer.Matches(summaries[i]))
            {
                report.InDoubtAbsent += doubt is null ? 0 : 1;
            }
            else if (doubt is not null && customer.With(doubt).Matches(summaries[i]))
            {
                customer.Apply(doubt);
                report.InDoubtPresent++;
            }
            else
            {
                report.Failures.Add($"{customer.Id}: the grain reports {CustomerLedger.Render(summaries[i])}; the acknowledged calls give {customer}"
                    + (doubt is null ? "." : $", or with its call in doubt ({doubt}) {customer.With(doubt)}: a lost or partial write."));
            }
        }

        report.Customers = summaries.Length;
    }
}
