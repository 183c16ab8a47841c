using System.Collections.Concurrent;

namespace Actors.Orleans.ClientDemo.Workload;

/// <summary>
/// The client's record of a run: every account and customer with what it must hold, the calls whose outcome is unknown,
/// the money that must exist, the counters progress lines print, and problems seen while the load ran.
/// </summary>
/// <remarks>Thread-safe for the workload: a grain's ledger is only touched under its <c>Gate</c>; counters are atomic.</remarks>
public sealed class Ledger
{
    private readonly Dictionary<string, AccountLedger> _accountsById;
    private readonly Dictionary<string, CustomerLedger> _customersById;
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly object _money = new();
    private readonly List<(long Target, TaskCompletionSource Reached)> _waits = [];
    private long _lastCallId;
    private long _acknowledged;
    private long _rejected;
    private long _unanswered;
    private long _inFlight;
    private long _unverified;
    private decimal _paidIn;
    private decimal _paidOut;

    /// <summary>Creates the ledger of <paramref name="accounts"/> accounts and <paramref name="customers"/> customers whose keys start with <paramref name="runId"/>.</summary>
    public Ledger(string runId, int accounts, int customers)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(customers);
        Accounts = [.. Enumerable.Range(0, accounts).Select(i => new AccountLedger($"{runId}/account-{i}"))];
        Customers = [.. Enumerable.Range(0, customers).Select(i => new CustomerLedger($"{runId}/customer-{i}"))];
        _accountsById = Accounts.ToDictionary(a => a.Id, StringComparer.Ordinal);
        _customersById = Customers.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    /// <summary>The accounts.</summary>
    public IReadOnlyList<AccountLedger> Accounts { get; }

    /// <summary>The customers.</summary>
    public IReadOnlyList<CustomerLedger> Customers { get; }

    /// <summary>Calls answered: succeeded, or rejected with nothing changed.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Calls rejected with nothing changed (part of <see cref="Acknowledged"/>).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Calls that failed without an answer: their outcome is unknown.</summary>
    public long Unanswered => Interlocked.Read(ref _unanswered);

    /// <summary>Calls sent and not finished yet.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Money paid in minus money paid out by the calls known to have happened: what all accounts must hold together.</summary>
    public decimal ExpectedMoney
    {
        get
        {
            lock (_money)
            {
                return _paidIn - _paidOut;
            }
        }
    }

    /// <summary>Problems seen while the load ran (a wrong answer to an acknowledged call).</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    /// <summary>The account with key <paramref name="id"/>.</summary>
    public AccountLedger Account(string id) => _accountsById[id];

    /// <summary>The customer with key <paramref name="id"/>.</summary>
    public CustomerLedger Customer(string id) => _customersById[id];

    /// <summary>A new call id.</summary>
    public long NewCallId() => Interlocked.Increment(ref _lastCallId);

    /// <summary>Completes once <see cref="Acknowledged"/> reaches <paramref name="target"/>.</summary>
    public Task WhenAcknowledged(long target)
    {
        lock (_waits)
        {
            if (Acknowledged >= target)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((target, reached));
            return reached.Task;
        }
    }

    /// <summary>Records a problem.</summary>
    public void Problem(string message) => _problems.Enqueue(message);

    /// <summary>Counts a call sent.</summary>
    public void Sending() => Interlocked.Increment(ref _inFlight);

    /// <summary>Records a successful call; the caller holds the gates of every grain it touched.</summary>
    public void Succeeded(BankCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.IsCustomerCall)
        {
            Customer(call.Subject).Apply(call);
        }

        foreach (string account in call.Accounts)
        {
            Account(account).Apply(call);
        }

        Count(call);
        Answered(rejected: false);
    }

    /// <summary>Records a call rejected with nothing changed.</summary>
    public void WasRejected() => Answered(rejected: true);

    /// <summary>Records a call without an answer: the verifier accepts its whole effect or none of it.</summary>
    public void Unknown(BankCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.IsCustomerCall)
        {
            CustomerLedger customer = Customer(call.Subject);
            Mark(customer.InDoubt, call, customer.Id);
            customer.InDoubt = call;
        }

        foreach (string id in call.Accounts)
        {
            AccountLedger account = Account(id);
            Mark(account.InDoubt, call, id);
            account.InDoubt = call;
        }

        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _unanswered);
    }

    /// <summary>Adds the money of a call found present after the restart to the expected total.</summary>
    public void Count(BankCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        lock (_money)
        {
            if (call.Kind == CallKind.Deposit)
            {
                _paidIn += call.Amount;
            }
            else if (call.Kind == CallKind.Withdraw)
            {
                _paidOut += call.Amount;
            }
        }
    }

    /// <summary>Takes the number of calls acknowledged since the previous call of this method (what a verification covers).</summary>
    public long TakeUnverified() => Interlocked.Exchange(ref _unverified, 0);

    private void Mark(BankCall? previous, BankCall call, string grain)
    {
        if (previous is not null)
        {
            Problem($"Harness: {grain} has two calls of unknown outcome ({previous}; {call}); the verifier can only judge one.");
        }
    }

    private void Answered(bool rejected)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _unverified);
        if (rejected)
        {
            Interlocked.Increment(ref _rejected);
        }

        long acknowledged = Interlocked.Increment(ref _acknowledged);
        lock (_waits)
        {
            _waits.RemoveAll(wait =>
            {
                bool reached = wait.Target <= acknowledged;
                if (reached)
                {
                    wait.Reached.TrySetResult();
                }

                return reached;
            });
        }
    }
}
