using Actors.Demo.Grains.Accounts;
using Actors.Demo.Grains.Customers;
using Actors.Client;

namespace Actors.ClientDemo.Workload;

/// <content>One call, its answer checked against the model.</content>
public sealed partial class BankWorkload
{
    /// <summary>Sends <paramref name="operation"/> (its grains' locks are held) and records the outcome. False when the workload must stop.</summary>
    private async Task<bool> ExecuteAsync(BankOperation operation, bool expectRejected, CancellationTokenSource stop)
    {
        model.Sent();
        try
        {
            if (operation.Customer is { } customerId)
            {
                CustomerSummary summary = await CallCustomerAsync(operation, customerId);
                model.Succeeded(operation);
                CustomerModel expected = model.Customers[BankModel.CustomerIndex(customerId)];
                if (!expected.Matches(summary))
                {
                    model.Fail($"{operation} answered {CustomerModel.Describe(summary)}; the acknowledged history gives {expected}.");
                }

                return true;
            }

            AccountBalance balance = await CallAccountAsync(operation);
            model.Succeeded(operation);
            AccountModel account = model.Account(operation.Account!);
            if (expectRejected)
            {
                model.Fail($"{operation} succeeded although the account held only {account.Balance - operation.BalanceDelta(account.Id)}.");
            }
            else if (balance.Balance != account.Balance || balance.Version != account.ExpectedVersion || balance.PendingOutgoing != 0)
            {
                model.Fail($"{operation} answered balance {balance.Balance} at version {balance.Version} (pending {balance.PendingOutgoing}); "
                    + $"the acknowledged history gives {account.Balance} at version {account.ExpectedVersion}.");
            }

            return true;
        }
        catch (InsufficientFundsException ex)
        {
            model.WasRejected();
            if (!expectRejected)
            {
                model.Fail($"{operation} was rejected although the acknowledged history gives the account enough money: {ex.Message}");
            }

            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No answer (connection lost, silo gone, timeout) or an unexpected grain error: the outcome is unknown.
            model.OutcomeUnknown(operation);
            if (!IsTransportFailure(ex))
            {
                model.Fail($"{operation} failed in the grain: {ex.GetType().Name}: {ex.Message}");
            }

            Interlocked.CompareExchange(ref _firstError, ex, null);
            await stop.CancelAsync();
            return false;
        }
    }

    private Task<CustomerSummary> CallCustomerAsync(BankOperation operation, string customerId)
    {
        ICustomerGrain customer = client.GetGrain<ICustomerGrain>(customerId);
        return operation.Kind switch
        {
            OperationKind.Rename => customer.Rename(operation.Text!),
            OperationKind.AddAccount => customer.AddAccount(operation.Target!),
            OperationKind.Audit => customer.Audit(operation.Text!),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "Not a customer operation."),
        };
    }

    private Task<AccountBalance> CallAccountAsync(BankOperation operation)
    {
        IBankAccountGrain account = client.GetGrain<IBankAccountGrain>(operation.Account!);
        return operation.Kind switch
        {
            OperationKind.Deposit => account.Deposit(operation.Amount, operation.Reference),
            OperationKind.Withdraw => account.Withdraw(operation.Amount, operation.Reference),
            OperationKind.Transfer => account.Transfer(operation.Target!, operation.Amount, operation.Reference),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "Not an account operation."),
        };
    }

    /// <summary>Whether the call failed for lack of an answer (connection, silo availability, time) rather than in the grain.</summary>
    private static bool IsTransportFailure(Exception ex) =>
        ex is GatewayConnectionLostException or GatewayUnavailableException or TimeoutException or OperationCanceledException or SiloUnavailableException;
}
