namespace Actors.Orleans.ClientDemo.Workload;

/// <summary>
/// Seeded random bank traffic: deposits, withdrawals (about one in seven too large on purpose: they must be rejected
/// with nothing changed), transfers, and renames, new accounts and activity entries on customers. Each call holds the
/// gates of the grains it touches (two accounts in id order for a transfer), so each stream's order is the order of
/// acknowledgement. The first call without an answer stops every worker, unless <paramref name="parkInDoubt"/>: then
/// the load goes on, and the grains a call of unknown outcome touched are left alone until a verification judged it.
/// </summary>
/// <param name="grains">The client's grain factory.</param>
/// <param name="ledger">What the acknowledged calls must leave.</param>
/// <param name="timeline">Records when each grain last answered, or null.</param>
/// <param name="parkInDoubt">
/// Keep calling after a call without an answer (the cluster mode: a silo died, the others serve). The grains of that
/// call get no further call until <see cref="Verification.RecoveryVerifier"/> has judged it (their ledger's
/// <c>InDoubt</c> is set until then): a second call of unknown outcome on one grain could not be judged, and resending
/// the call could apply it twice (a deposit is not idempotent).
/// </param>
public sealed class BankLoad(IGrainFactory grains, Ledger ledger, GrainTimeline? timeline = null, bool parkInDoubt = false)
{
    /// <summary>How long a worker that drew a parked grain waits before it draws again.</summary>
    private static readonly TimeSpan ParkedPause = TimeSpan.FromMilliseconds(5);
    private readonly CallRunner _runner = new(grains, ledger, timeline);

    /// <summary>The first call that ended without an answer, or null.</summary>
    public Exception? FirstUnanswered => _runner.FirstUnanswered;

    /// <summary>The calls that ended without an answer since the last take, described (<see cref="CallRunner.TakeUnanswered"/>).</summary>
    public IReadOnlyList<string> TakeUnanswered() => _runner.TakeUnanswered();

    /// <summary>Calls still waiting for an answer when the load abandoned them (after the kill).</summary>
    public long Abandoned => _runner.Abandoned;

    /// <summary>Opens every account with <paramref name="openingBalance"/>, names every customer and gives it accounts.</summary>
    /// <exception cref="InvalidOperationException">A setup call got no answer.</exception>
    public async Task SetupAsync(decimal openingBalance, int parallelism, CancellationToken cancellationToken)
    {
        IEnumerable<BankCall[]> perGrain = ledger.Accounts
            .Select(a => new[] { new BankCall(ledger.NewCallId(), CallKind.Deposit, a.Id, null, openingBalance, null) })
            .Concat(ledger.Customers.Select((c, i) => SetupCustomer(c, i)));
        await Parallel.ForEachAsync(perGrain, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (calls, _) =>
        {
            foreach (BankCall call in calls)
            {
                if (!await _runner.RunAsync(call, rejectionExpected: false, cancellationToken))
                {
                    throw new InvalidOperationException($"Setup: {call} got no answer: {FirstUnanswered?.Message}", FirstUnanswered);
                }
            }
        });
    }

    /// <summary>
    /// Runs <paramref name="workers"/> concurrent callers until a call ends without an answer or
    /// <paramref name="abandon"/> is cancelled; returns once every worker stopped. Call failures never throw (see
    /// <see cref="FirstUnanswered"/>).
    /// </summary>
    /// <param name="workers">Concurrent callers.</param>
    /// <param name="seed">The random seed (each worker derives its own).</param>
    /// <param name="abandon">Cancel it once the silo is dead: calls still waiting end as unknown at once.</param>
    /// <param name="finish">Cancel it to stop sending: each worker finishes its call in flight and returns.</param>
    public async Task RunAsync(int workers, int seed, CancellationToken abandon, CancellationToken finish = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(abandon);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(seed, worker));
            while (!stop.IsCancellationRequested && !finish.IsCancellationRequested)
            {
                await NextAsync(random, stop, abandon);
            }
        }, CancellationToken.None)));
    }

    private BankCall[] SetupCustomer(CustomerLedger customer, int index)
    {
        var calls = new List<BankCall> { new(ledger.NewCallId(), CallKind.Rename, customer.Id, null, 0m, $"Customer {index}") };
        for (int a = index; a < ledger.Accounts.Count; a += ledger.Customers.Count)
        {
            calls.Add(new BankCall(ledger.NewCallId(), CallKind.AddAccount, customer.Id, ledger.Accounts[a].Id, 0m, null));
        }

        return [.. calls];
    }

    /// <summary>One call; a call without an answer cancels <paramref name="stop"/>.</summary>
    private async Task NextAsync(Random random, CancellationTokenSource stop, CancellationToken abandon)
    {
        if (ledger.Customers.Count > 0 && random.Next(4) == 0)
        {
            CustomerLedger customer = ledger.Customers[random.Next(ledger.Customers.Count)];
            await UnderGatesAsync([customer.Gate], stop, () => customer.InDoubt is not null, () => _runner.RunAsync(CustomerCall(random, customer), rejectionExpected: false, abandon));
            return;
        }

        int source = random.Next(ledger.Accounts.Count);
        AccountLedger from = ledger.Accounts[source];
        int roll = random.Next(100);
        if (roll < 50)
        {
            AccountLedger to = ledger.Accounts[(source + 1 + random.Next(ledger.Accounts.Count - 1)) % ledger.Accounts.Count];
            SemaphoreSlim[] gates = string.CompareOrdinal(from.Id, to.Id) < 0 ? [from.Gate, to.Gate] : [to.Gate, from.Gate];
            await UnderGatesAsync(gates, stop, () => from.InDoubt is not null || to.InDoubt is not null, () => from.Balance >= 1m
                ? _runner.RunAsync(new BankCall(ledger.NewCallId(), CallKind.Transfer, from.Id, to.Id, Amount(random, Math.Min(from.Balance, 150m)), null), rejectionExpected: false, abandon)
                : _runner.RunAsync(new BankCall(ledger.NewCallId(), CallKind.Deposit, from.Id, null, Amount(random, 100m), null), rejectionExpected: false, abandon));
            return;
        }

        await UnderGatesAsync([from.Gate], stop, () => from.InDoubt is not null, () =>
        {
            if (roll < 75 || from.Balance < 1m)
            {
                return _runner.RunAsync(new BankCall(ledger.NewCallId(), CallKind.Deposit, from.Id, null, Amount(random, 100m), null), rejectionExpected: false, abandon);
            }

            bool tooLarge = random.Next(7) == 0;
            decimal amount = tooLarge ? from.Balance + Amount(random, 40m) : Amount(random, Math.Min(from.Balance, 80m));
            return _runner.RunAsync(new BankCall(ledger.NewCallId(), CallKind.Withdraw, from.Id, null, amount, null), tooLarge, abandon);
        });
    }

    private BankCall CustomerCall(Random random, CustomerLedger customer)
    {
        long id = ledger.NewCallId();
        return random.Next(10) switch
        {
            < 3 => new BankCall(id, CallKind.Rename, customer.Id, null, 0m, $"{customer.Id} #{id}"),
            < 5 => new BankCall(id, CallKind.AddAccount, customer.Id, ledger.Accounts[random.Next(ledger.Accounts.Count)].Id, 0m, null),
            _ => new BankCall(id, CallKind.Audit, customer.Id, null, 0m, $"checked statement {id}"),
        };
    }

    private static decimal Amount(Random random, decimal max) => random.Next(1, (int)Math.Max(1m, decimal.Floor(max)) + 1);

    /// <summary>
    /// Takes the gates in order, runs <paramref name="call"/> unless stopping or <paramref name="parked"/>, and gives
    /// them back. A call without an answer cancels <paramref name="stop"/> before its gates are released (unless the
    /// load parks grains in doubt: then the ledger marks them), so no other caller sends a second call of unknown
    /// outcome to the same grain (the verifier can judge one per grain).
    /// </summary>
    private async Task UnderGatesAsync(SemaphoreSlim[] gates, CancellationTokenSource stop, Func<bool> parked, Func<Task<bool>> call)
    {
        int taken = 0;
        bool skipped = false;
        try
        {
            foreach (SemaphoreSlim gate in gates)
            {
                await gate.WaitAsync(stop.Token);
                taken++;
            }

            skipped = parked();
            if (!stop.IsCancellationRequested && !skipped && !await call() && !parkInDoubt)
            {
                await stop.CancelAsync();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping while waiting for a gate: nothing was sent.
        }
        finally
        {
            foreach (SemaphoreSlim gate in gates.Take(taken))
            {
                gate.Release();
            }
        }

        if (skipped)
        {
            // A parked grain: pick again a moment later rather than spin while most grains wait for a verification.
            await Task.Delay(ParkedPause, CancellationToken.None);
        }
    }

}
