using Actors.Client;
using Actors.Demo.Grains.Accounts;
using Actors.Demo.Grains.Customers;

namespace Actors.ClientDemo.Workload;

/// <summary>
/// Checks, through a client, that a (restarted) silo holds exactly what the <see cref="BankModel"/> says: each account's
/// stream holds every acknowledged event in acknowledgement order, followed by all or none of the events of its one
/// operation of unknown outcome (never a part, and for a transfer the same choice on both accounts); each balance equals
/// the replay of that history; no transfer stays pending; the money in all accounts equals everything paid in minus
/// everything paid out; each customer equals the replay of its acknowledged operations with or without its unknown one.
/// Then it folds the findings into the model, so the next verification starts from here.
/// </summary>
public static class StateVerifier
{
    /// <summary>Verifies and advances the model. Any call failure is itself a failure (recovery must never fail).</summary>
    public static async Task<VerificationReport> VerifyAsync(IGrainFactory client, BankModel model, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(model);
        var report = new VerificationReport { AcknowledgedOperations = model.TakeAcknowledgedSinceVerification(), ExpectedTotalMoney = model.ExpectedTotalMoney };
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        var results = new AccountResult[model.Accounts.Count];
        try
        {
            // First touch every account: this activates it (replaying its log) and completes transfers that were left
            // pending by the kill, which may append to other accounts. Only then read balances and histories.
            await Parallel.ForEachAsync(model.Accounts, options, async (account, _) => await client.GetGrain<IBankAccountGrain>(account.Id).GetBalance());
            await Parallel.ForEachAsync(Enumerable.Range(0, model.Accounts.Count), options, async (i, _) =>
            {
                AccountModel account = model.Accounts[i];
                IBankAccountGrain grain = client.GetGrain<IBankAccountGrain>(account.Id);
                AccountBalance balance = await grain.GetBalance();
                IReadOnlyList<string> history = balance.Version >= account.VerifiedVersion
                    ? await grain.GetHistory(account.VerifiedVersion, balance.Version)
                    : [];
                results[i] = new AccountResult(balance, history);
            });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            report.Failures.Add($"Reading the accounts after the restart failed: {ex.GetType().Name}: {ex.Message}");
            return report;
        }

        var presence = new Dictionary<long, (BankOperation Operation, bool Present, string Account)>();
        for (int i = 0; i < results.Length; i++)
        {
            CheckAccount(model.Accounts[i], results[i], presence, report);
        }

        foreach ((BankOperation operation, bool present, _) in presence.Values)
        {
            if (present)
            {
                report.InFlightPresent++;
                model.CountMoney(operation, 1);
            }
            else
            {
                report.InFlightAbsent++;
            }
        }

        report.ExpectedTotalMoney = model.ExpectedTotalMoney;
        report.TotalMoney = results.Sum(r => r.Balance.Balance);
        if (report.TotalMoney != report.ExpectedTotalMoney)
        {
            report.Failures.Add($"Money not conserved: the accounts hold {report.TotalMoney}, deposits minus withdrawals give {report.ExpectedTotalMoney}.");
        }

        report.Accounts = results.Length;
        await VerifyCustomersAsync(client, model, options, report);
        return report;
    }

    private static void CheckAccount(
        AccountModel account,
        AccountResult result,
        Dictionary<long, (BankOperation Operation, bool Present, string Account)> presence,
        VerificationReport report)
    {
        (AccountBalance balance, IReadOnlyList<string> history) = result;
        if (balance.Version < account.VerifiedVersion)
        {
            report.Failures.Add($"{account.Id}: version {balance.Version} is below the {account.VerifiedVersion} already verified: acknowledged events are lost.");
            return;
        }

        report.EventsChecked += history.Count;
        int acknowledged = account.PendingEvents.Count;
        for (int e = 0; e < acknowledged; e++)
        {
            if (e >= history.Count || history[e] != account.PendingEvents[e])
            {
                string found = e < history.Count ? history[e] : "nothing (the stream ends)";
                report.Failures.Add($"{account.Id}: version {account.VerifiedVersion + e + 1} must hold acknowledged event {account.PendingEvents[e]}; found {found}.");
                return;
            }
        }

        string[] rest = [.. history.Skip(acknowledged)];
        BankOperation? unknown = account.Unknown;
        bool present = false;
        if (rest.Length > 0)
        {
            if (unknown is null || !rest.SequenceEqual(unknown.EventsFor(account.Id)))
            {
                report.Failures.Add($"{account.Id}: after the {acknowledged} acknowledged events the stream holds [{string.Join("; ", rest)}], "
                    + $"which is not the complete effect of its in-flight operation ({unknown?.ToString() ?? "none"}): a partial or foreign write.");
                return;
            }

            present = true;
        }

        if (unknown is not null)
        {
            if (presence.TryGetValue(unknown.Id, out var seen) && seen.Present != present)
            {
                report.Failures.Add($"{unknown}: partial across accounts: {(seen.Present ? "present" : "absent")} in {seen.Account}, {(present ? "present" : "absent")} in {account.Id}.");
            }

            presence[unknown.Id] = (unknown, present, account.Id);
        }

        decimal expected = account.Balance + (present ? unknown!.BalanceDelta(account.Id) : 0m);
        if (balance.Balance != expected || balance.PendingOutgoing != 0)
        {
            report.Failures.Add($"{account.Id}: balance {balance.Balance} (pending {balance.PendingOutgoing}); the replay of the acknowledged history gives {expected} (pending 0).");
            return;
        }

        // Verified: everything up to here is now the acknowledged base of the next round.
        account.VerifiedVersion = balance.Version;
        account.PendingEvents.Clear();
        account.Balance = expected;
        account.Unknown = null;
    }

    private static async Task VerifyCustomersAsync(IGrainFactory client, BankModel model, ParallelOptions options, VerificationReport report)
    {
        var summaries = new CustomerSummary[model.Customers.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, model.Customers.Count), options, async (i, _) =>
                summaries[i] = await client.GetGrain<ICustomerGrain>(model.Customers[i].Id).GetSummary());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            report.Failures.Add($"Reading the customers after the restart failed: {ex.GetType().Name}: {ex.Message}");
            return;
        }

        for (int i = 0; i < summaries.Length; i++)
        {
            CustomerModel customer = model.Customers[i];
            BankOperation? unknown = model.CustomerUnknown[i];
            model.CustomerUnknown[i] = null;
            if (customer.Matches(summaries[i]))
            {
                if (unknown is not null)
                {
                    report.InFlightAbsent++;
                }

                continue;
            }

            if (unknown is not null)
            {
                CustomerModel withUnknown = customer.Clone();
                withUnknown.Apply(unknown);
                if (withUnknown.Matches(summaries[i]))
                {
                    customer.Apply(unknown);
                    report.InFlightPresent++;
                    continue;
                }
            }

            report.Failures.Add($"{customer.Id}: {CustomerModel.Describe(summaries[i])}; the acknowledged history gives {customer}"
                + (unknown is null ? "." : $" (or, with its in-flight {unknown}, something else): a lost or partial write."));
        }

        report.Customers = summaries.Length;
    }

    private sealed record AccountResult(AccountBalance Balance, IReadOnlyList<string> History);
}
