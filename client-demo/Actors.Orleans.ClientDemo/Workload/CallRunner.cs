using System.Collections.Concurrent;
using System.Globalization;
using Actors.Orleans.Demo.Grains.Accounts;
using Actors.Orleans.Demo.Grains.Customers;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;

namespace Actors.Orleans.ClientDemo.Workload;

/// <summary>
/// Sends one call through the Orleans client and records its outcome in the <see cref="Ledger"/>: success (checked at
/// once against the ledger), rejection (nothing changed), or no answer (outcome unknown). The caller holds the gates of
/// the grains the call touches. Answered calls (successes and rejections) are recorded in the timeline, when there is one.
/// </summary>
public sealed class CallRunner(IGrainFactory grains, Ledger ledger, GrainTimeline? timeline = null)
{
    /// <summary>The wire name of the provider's retryable error (a client without the provider reads it through Orleans's fallback exception).</summary>
    public const string WriteAheadLogUnavailable = "Actors.Orleans.WriteAheadLogUnavailableException";

    /// <summary>The wire name of the provider's storage error, of unknown outcome when its <c>Data["OutcomeUnknown"]</c> is true.</summary>
    public const string WriteAheadLogOperation = "Actors.Orleans.WriteAheadLogOperationException";

    /// <summary>Sends of one call while stopping silos refuse it unprocessed (<see cref="IsRefusedByStoppingSilo"/>).</summary>
    public const int StoppingSiloAttempts = 4;

    private static readonly TimeSpan StoppingSiloPause = TimeSpan.FromMilliseconds(20);
    private readonly ConcurrentQueue<string> _unanswered = new();
    private Exception? _firstUnanswered;
    private long _abandoned;

    /// <summary>The first call that failed without an answer before the calls were abandoned (the connection lost at the kill), or null.</summary>
    public Exception? FirstUnanswered => Volatile.Read(ref _firstUnanswered);

    /// <summary>
    /// Takes the descriptions of the calls that ended without an answer since the last take, oldest first: the call,
    /// how long after it was sent it ended, and its error.
    /// </summary>
    public IReadOnlyList<string> TakeUnanswered()
    {
        List<string> taken = [];
        while (_unanswered.TryDequeue(out string? line))
        {
            taken.Add(line);
        }

        return taken;
    }

    /// <summary>Calls still waiting when they were abandoned (the silo was known dead).</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>Sends <paramref name="call"/>; returns false when it ended without an answer (the load should stop).</summary>
    /// <param name="call">The call.</param>
    /// <param name="rejectionExpected">Whether the ledger says the call must be rejected (a withdrawal too large).</param>
    /// <param name="abandon">
    /// Cancelled once the silo is known dead (after SIGKILL returned): the call stops waiting and its outcome is unknown.
    /// Orleans would otherwise wait for its response timeout; nothing can answer once the process is gone.
    /// </param>
    public async Task<bool> RunAsync(BankCall call, bool rejectionExpected, CancellationToken abandon)
    {
        ledger.Sending();
        long sent = GrainTimeline.Now();
        try
        {
            if (call.IsCustomerCall)
            {
                CustomerSummary summary = await SendAsync(() => CallCustomerAsync(call)).WaitAsync(abandon);
                timeline?.Answered(call.Subject, sent);
                ledger.Succeeded(call);
                CustomerLedger expected = ledger.Customer(call.Subject);
                if (!expected.Matches(summary))
                {
                    ledger.Problem($"{call} answered {CustomerLedger.Render(summary)}; the acknowledged calls give {expected}.");
                }

                return true;
            }

            AccountBalance balance = await SendAsync(() => CallAccountAsync(call)).WaitAsync(abandon);
            RecordAnswer(call, sent);
            ledger.Succeeded(call);
            AccountLedger account = ledger.Account(call.Subject);
            if (rejectionExpected)
            {
                ledger.Problem($"{call} succeeded although the acknowledged calls leave {account.Balance - call.BalanceChange(account.Id)} in {account.Id}.");
            }
            else if (balance.Balance != account.Balance || balance.Version != account.Version || balance.PendingOutgoing != 0m)
            {
                ledger.Problem($"{call} answered balance {balance.Balance} at version {balance.Version} (pending {balance.PendingOutgoing}); the acknowledged calls give {account.Balance} at version {account.Version} (pending 0).");
            }

            return true;
        }
        catch (InsufficientFundsException ex)
        {
            RecordAnswer(call, sent);
            ledger.WasRejected();
            if (!rejectionExpected)
            {
                ledger.Problem($"{call} was rejected although the acknowledged calls leave enough money: {ex.Message}");
            }

            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ledger.Unknown(call);
            _unanswered.Enqueue(string.Create(CultureInfo.InvariantCulture,
                $"{call} ended after {GrainTimeline.Now() - sent} ms: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}"));
            if (!IsLostAnswer(ex))
            {
                ledger.Problem($"{call} failed in the grain, not for lack of an answer: {ex.GetType().Name}: {ex.Message}");
            }

            if (ex is OperationCanceledException && abandon.IsCancellationRequested)
            {
                Interlocked.Increment(ref _abandoned);
            }
            else
            {
                Interlocked.CompareExchange(ref _firstUnanswered, ex, null);
            }

            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="exception"/> means the answer was lost (silo gone, connection closed, timeout) or the
    /// call was refused as retryable (<c>WriteAheadLogUnavailableException</c>: the partition's leader is not serving
    /// here or not yet) rather than a grain error. Either way the client cannot tell whether the call's writes happened
    /// (a transfer refused on its second leg has done its first), so it is recorded as of unknown outcome. The
    /// provider's error is recognized by its wire name: as itself when the provider's assembly is loaded in this process
    /// (the demo built next to the silo), as Orleans's fallback exception otherwise (the demo's container image). So is the
    /// provider's storage error of unknown outcome (a journaled grain's write on a silo that lost the partition's leadership
    /// mid-write: the write may or may not be stored).
    /// </summary>
    public static bool IsLostAnswer(Exception exception) => exception.GetType().FullName == WriteAheadLogUnavailable || IsOutcomeUnknown(exception) || exception
        is UnavailableExceptionFallbackException { ExceptionType: WriteAheadLogUnavailable }
        or SiloUnavailableException
        or OrleansMessageRejectionException
        or ConnectionFailedException
        or ClientNotAvailableException
        or GatewayTooBusyException
        or TimeoutException
        or OperationCanceledException
        or ObjectDisposedException;

    /// <summary>The provider's storage error whose write may or may not be stored (<c>Data["OutcomeUnknown"]</c> true).</summary>
    private static bool IsOutcomeUnknown(Exception exception) =>
        (exception.GetType().FullName == WriteAheadLogOperation || exception is UnavailableExceptionFallbackException { ExceptionType: WriteAheadLogOperation })
        && exception.Data["OutcomeUnknown"] is true;

    /// <summary>
    /// Whether <paramref name="exception"/> is Orleans's rejection of this client's own request by a stopping silo
    /// ("Silo stopping"): refused before any grain saw it, so the call may be sent again. It cannot be a grain's nested
    /// call's rejection passed up: the silos (<c>AddWriteAheadLogReplication</c>) send such a nested call again themselves
    /// and, when they give up, fail it with a differently worded <see cref="SiloUnavailableException"/>.
    /// </summary>
    public static bool IsRefusedByStoppingSilo(Exception exception) =>
        exception is OrleansMessageRejectionException rejection && rejection.Message.StartsWith("Silo stopping", StringComparison.Ordinal);

    /// <summary>Sends a call, and again (at most <see cref="StoppingSiloAttempts"/> times in all) while a stopping silo refuses it unprocessed.</summary>
    private static async Task<T> SendAsync<T>(Func<Task<T>> send)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (Exception ex) when (attempt < StoppingSiloAttempts && IsRefusedByStoppingSilo(ex))
            {
                await Task.Delay(StoppingSiloPause * attempt);
            }
        }
    }

    private void RecordAnswer(BankCall call, long sent)
    {
        foreach (string account in call.Accounts)
        {
            timeline?.Answered(account, sent);
        }
    }

    private Task<CustomerSummary> CallCustomerAsync(BankCall call)
    {
        ICustomerGrain customer = grains.GetGrain<ICustomerGrain>(call.Subject);
        return call.Kind switch
        {
            CallKind.Rename => customer.Rename(call.Text!),
            CallKind.AddAccount => customer.AddAccount(call.Other!),
            CallKind.Audit => customer.Audit(call.Text!),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call.Kind, "Not a customer call."),
        };
    }

    private Task<AccountBalance> CallAccountAsync(BankCall call)
    {
        IAccountGrain account = grains.GetGrain<IAccountGrain>(call.Subject);
        return call.Kind switch
        {
            CallKind.Deposit => account.Deposit(call.Amount, call.Reference),
            CallKind.Withdraw => account.Withdraw(call.Amount, call.Reference),
            CallKind.Transfer => account.Transfer(call.Other!, call.Amount, call.Reference),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call.Kind, "Not an account call."),
        };
    }
}
