using System.Collections.Concurrent;

namespace Actors.ClientDemo.Workload;

/// <summary>
/// The client-side record of a workload: every account and customer, every acknowledged operation (not yet verified),
/// the operations whose outcome is unknown, the money that must exist, and the counters progress reports print.
/// </summary>
/// <remarks>Thread-safe for the workload's use: an account or customer is touched only under its lock.</remarks>
public sealed class BankModel
{
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly object _thresholdGate = new();
    private readonly List<(long Count, TaskCompletionSource Reached)> _thresholds = [];
    private long _nextOperationId;
    private long _acknowledged;
    private long _rejected;
    private long _unknown;
    private long _acknowledgedSinceVerification;
    private long _inFlight;
    private decimal _totalIn;
    private decimal _totalOut;

    /// <summary>Creates the model of <paramref name="accounts"/> accounts and <paramref name="customers"/> customers, ids prefixed by <paramref name="runId"/>.</summary>
    public BankModel(string runId, int accounts, int customers)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(customers);
        RunId = runId;
        Accounts = [.. Enumerable.Range(0, accounts).Select(i => new AccountModel { Id = $"{runId}-acct-{i:D3}" })];
        Customers = [.. Enumerable.Range(0, customers).Select(i => new CustomerModel { Id = $"{runId}-cust-{i:D3}" })];
        CustomerLocks = [.. Customers.Select(_ => new SemaphoreSlim(1, 1))];
        CustomerUnknown = new BankOperation?[customers];
    }

    /// <summary>The prefix of every grain key of this run.</summary>
    public string RunId { get; }

    /// <summary>The accounts.</summary>
    public IReadOnlyList<AccountModel> Accounts { get; }

    /// <summary>The customers.</summary>
    public IReadOnlyList<CustomerModel> Customers { get; }

    /// <summary>One lock per customer (same index).</summary>
    public IReadOnlyList<SemaphoreSlim> CustomerLocks { get; }

    /// <summary>Per customer (same index), the operation whose outcome is unknown, or null.</summary>
    public BankOperation?[] CustomerUnknown { get; }

    /// <summary>Operations acknowledged (succeeded or rejected with a known outcome) in total.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Operations rejected with nothing changed (insufficient funds), part of <see cref="Acknowledged"/>.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Operations whose call failed without an answer (in flight when the silo died).</summary>
    public long Unknown => Interlocked.Read(ref _unknown);

    /// <summary>Operations sent and not answered yet.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Acknowledged operations the next verification checks.</summary>
    public long AcknowledgedSinceVerification => Interlocked.Read(ref _acknowledgedSinceVerification);

    /// <summary>Money paid in minus money paid out by every acknowledged (or verified present) operation: what the accounts must hold together.</summary>
    public decimal ExpectedTotalMoney
    {
        get
        {
            lock (_thresholdGate)
            {
                return _totalIn - _totalOut;
            }
        }
    }

    /// <summary>Mismatches seen while the workload ran (a wrong answer to an acknowledged call).</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>A new operation id.</summary>
    public long NextOperationId() => Interlocked.Increment(ref _nextOperationId);

    /// <summary>Completes when <see cref="Acknowledged"/> reaches <paramref name="count"/>.</summary>
    public Task WhenAcknowledged(long count)
    {
        lock (_thresholdGate)
        {
            if (Acknowledged >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _thresholds.Add((count, reached));
            return reached.Task;
        }
    }

    /// <summary>Records a failure found while the workload ran.</summary>
    public void Fail(string message) => _failures.Enqueue(message);

    /// <summary>Counts a call sent.</summary>
    public void Sent() => Interlocked.Increment(ref _inFlight);

    /// <summary>Records a call that succeeded: the caller holds the locks of every grain it touched.</summary>
    public void Succeeded(BankOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        foreach (string id in operation.Accounts())
        {
            Account(id).Acknowledge(operation);
        }

        if (operation.Customer is not null)
        {
            Customers[CustomerIndex(operation.Customer)].Apply(operation);
        }

        CountMoney(operation, 1);
        Answered(rejected: false);
    }

    /// <summary>Records a call rejected with nothing changed.</summary>
    public void WasRejected() => Answered(rejected: true);

    /// <summary>Records a call whose outcome is unknown: the verifier accepts its complete effect or none.</summary>
    public void OutcomeUnknown(BankOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        foreach (string id in operation.Accounts())
        {
            AccountModel account = Account(id);
            if (account.Unknown is not null)
            {
                Fail($"Harness: account {id} has two operations of unknown outcome ({account.Unknown}, {operation}).");
            }

            account.Unknown = operation;
        }

        if (operation.Customer is not null)
        {
            CustomerUnknown[CustomerIndex(operation.Customer)] = operation;
        }

        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _unknown);
    }

    /// <summary>Adds a verified-present unknown operation's money to the expected total.</summary>
    public void CountMoney(BankOperation operation, int sign)
    {
        ArgumentNullException.ThrowIfNull(operation);
        lock (_thresholdGate)
        {
            if (operation.Kind == OperationKind.Deposit)
            {
                _totalIn += sign * operation.Amount;
            }
            else if (operation.Kind == OperationKind.Withdraw)
            {
                _totalOut += sign * operation.Amount;
            }
        }
    }

    /// <summary>Called by the verifier once it checked every acknowledged operation.</summary>
    public long TakeAcknowledgedSinceVerification() => Interlocked.Exchange(ref _acknowledgedSinceVerification, 0);

    /// <summary>The account with <paramref name="id"/>.</summary>
    public AccountModel Account(string id) => Accounts[int.Parse(id.AsSpan(id.LastIndexOf('-') + 1), System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>The index of customer <paramref name="id"/>.</summary>
    public static int CustomerIndex(string id) => int.Parse(id.AsSpan(id.LastIndexOf('-') + 1), System.Globalization.CultureInfo.InvariantCulture);

    private void Answered(bool rejected)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _acknowledgedSinceVerification);
        if (rejected)
        {
            Interlocked.Increment(ref _rejected);
        }

        long acknowledged = Interlocked.Increment(ref _acknowledged);
        lock (_thresholdGate)
        {
            for (int i = _thresholds.Count - 1; i >= 0; i--)
            {
                if (_thresholds[i].Count <= acknowledged)
                {
                    _thresholds[i].Reached.TrySetResult();
                    _thresholds.RemoveAt(i);
                }
            }
        }
    }
}
