namespace Actors.Demo.Grains.Customers;

/// <summary>
/// A customer with two named persistent states (profile and activity) in the customer's write-ahead-log stream.
/// Changes that touch both are written in one atomic append.
/// </summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Sets the display name (profile and audit entry written atomically).</summary>
    Task<CustomerSummary> Rename(string name);

    /// <summary>Records that the customer opened an account (profile and audit entry written atomically).</summary>
    Task<CustomerSummary> AddAccount(string accountId);

    /// <summary>Records an audit entry only.</summary>
    Task<CustomerSummary> Audit(string entry);

    /// <summary>The current summary.</summary>
    Task<CustomerSummary> GetSummary();
}
