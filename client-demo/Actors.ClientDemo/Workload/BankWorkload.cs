using Actors.Client;
using Actors.Demo.Grains.Accounts;
using Actors.Demo.Grains.Customers;
using Actors.Invocation;

namespace Actors.ClientDemo.Workload;

/// <summary>
/// Drives seeded random bank traffic through a gateway client: deposits, withdrawals (some deliberately too large, which
/// must be rejected with nothing changed), transfers between journaled accounts, and renames, new accounts and audit
/// entries on persistent-state customers. Every answer is recorded in the <see cref="BankModel"/> and checked against it
/// at once; the first call without an answer (the silo died) stops the workload.
/// </summary>
public sealed partial class BankWorkload(IGrainFactory client, BankModel model)
{
    private Exception? _firstError;

    /// <summary>The first call failure without an answer (typically the connection lost when the silo was killed), or null.</summary>
    public Exception? FirstError => Volatile.Read(ref _firstError);

    /// <summary>Opens every account with <paramref name="openingBalance"/> and names every customer and gives it some accounts.</summary>
    public async Task SetupAsync(decimal openingBalance, int parallelism, CancellationToken cancellationToken)
    {
        var operations = new List<BankOperation>();
        foreach (AccountModel account in model.Accounts)
        {
            operations.Add(new BankOperation(model.NextOperationId(), OperationKind.Deposit, account.Id, null, null, openingBalance, null));
        }

        for (int i = 0; i < model.Customers.Count; i++)
        {
            string customer = model.Customers[i].Id;
            operations.Add(new BankOperation(model.NextOperationId(), OperationKind.Rename, null, null, customer, 0m, $"Customer {i}"));
            for (int a = i; a < model.Accounts.Count; a += model.Customers.Count)
            {
                operations.Add(new BankOperation(model.NextOperationId(), OperationKind.AddAccount, null, model.Accounts[a].Id, customer, 0m, null));
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Parallel.ForEachAsync(
            operations.GroupBy(o => o.Customer ?? o.Account),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = stop.Token },
            async (group, token) =>
            {
                foreach (BankOperation operation in group)
                {
                    if (!await LockAndExecuteAsync(operation, expectRejected: false, stop, token))
                    {
                        return;
                    }
                }
            });
        if (FirstError is { } error)
        {
            throw new InvalidOperationException($"Setup failed: {error.Message}", error);
        }
    }

    /// <summary>
    /// Runs <paramref name="workers"/> concurrent callers until <paramref name="cancellationToken"/> is cancelled,
    /// <paramref name="maxOperations"/> operations were started (null: no limit), or a call fails without an answer.
    /// Returns when every worker has stopped; never throws for call failures (see <see cref="FirstError"/>).
    /// </summary>
    public async Task RunAsync(int workers, long? maxOperations, int seed, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long started = 0;
        Task[] tasks = [.. Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(seed, w));
            while (!stop.IsCancellationRequested)
            {
                if (maxOperations is { } max && Interlocked.Increment(ref started) > max)
                {
                    return;
                }

                if (!await StepAsync(random, stop))
                {
                    return;
                }
            }
        }, CancellationToken.None))];
        await Task.WhenAll(tasks);
    }

    private async Task<bool> StepAsync(Random random, CancellationTokenSource stop)
    {
        if (model.Customers.Count > 0 && random.Next(100) < 25)
        {
            return await CustomerStepAsync(random, stop);
        }

        int accountCount = model.Accounts.Count;
        int a = random.Next(accountCount);
        int roll = random.Next(100);
        int b = -1;
        if (roll < 55)
        {
            b = random.Next(accountCount - 1);
            b = b >= a ? b + 1 : b;
        }

        AccountModel from = model.Accounts[a];
        AccountModel? to = b >= 0 ? model.Accounts[b] : null;
        AccountModel[] locked = to is null ? [from] : [.. new[] { from, to }.OrderBy(x => x.Id, StringComparer.Ordinal)];
        if (!await AcquireAsync(locked.Select(x => x.Lock), stop.Token))
        {
            return false;
        }

        try
        {
            long id = model.NextOperationId();
            BankOperation operation;
            bool expectRejected = false;
            if (to is not null && from.Balance >= 1)
            {
                operation = new BankOperation(id, OperationKind.Transfer, from.Id, to.Id, null, Amount(random, Math.Min(from.Balance, 200m)), null);
            }
            else if (roll < 80 || from.Balance < 1)
            {
                operation = new BankOperation(id, OperationKind.Deposit, from.Id, null, null, Amount(random, 100m), null);
            }
            else
            {
                expectRejected = random.Next(100) < 15;
                decimal amount = expectRejected ? from.Balance + Amount(random, 50m) : Amount(random, Math.Min(from.Balance, 100m));
                operation = new BankOperation(id, OperationKind.Withdraw, from.Id, null, null, amount, null);
            }

            return await ExecuteAsync(operation, expectRejected, stop);
        }
        finally
        {
            foreach (AccountModel account in locked)
            {
                account.Lock.Release();
            }
        }
    }

    private async Task<bool> CustomerStepAsync(Random random, CancellationTokenSource stop)
    {
        int c = random.Next(model.Customers.Count);
        string customer = model.Customers[c].Id;
        long id = model.NextOperationId();
        int roll = random.Next(100);
        BankOperation operation = roll switch
        {
            < 30 => new BankOperation(id, OperationKind.Rename, null, null, customer, 0m, $"Customer {c} v{id}"),
            < 45 => new BankOperation(id, OperationKind.AddAccount, null, model.Accounts[random.Next(model.Accounts.Count)].Id, customer, 0m, null),
            _ => new BankOperation(id, OperationKind.Audit, null, null, customer, 0m, $"audit {id}"),
        };
        return await LockAndExecuteAsync(operation, expectRejected: false, stop, stop.Token);
    }

    private async Task<bool> LockAndExecuteAsync(BankOperation operation, bool expectRejected, CancellationTokenSource stop, CancellationToken token)
    {
        SemaphoreSlim gate = operation.Customer is { } customer ? model.CustomerLocks[BankModel.CustomerIndex(customer)] : model.Account(operation.Account!).Lock;
        if (!await AcquireAsync([gate], token))
        {
            return false;
        }

        try
        {
            return await ExecuteAsync(operation, expectRejected, stop);
        }
        finally
        {
            gate.Release();
        }
    }

    private static decimal Amount(Random random, decimal max) => random.Next(1, (int)Math.Max(1m, Math.Floor(max)) + 1);

    private static async Task<bool> AcquireAsync(IEnumerable<SemaphoreSlim> gates, CancellationToken token)
    {
        var taken = new List<SemaphoreSlim>();
        try
        {
            foreach (SemaphoreSlim gate in gates)
            {
                await gate.WaitAsync(token);
                taken.Add(gate);
            }

            if (!token.IsCancellationRequested)
            {
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: give back what was taken below.
        }

        foreach (SemaphoreSlim gate in taken)
        {
            gate.Release();
        }

        return false;
    }
}
