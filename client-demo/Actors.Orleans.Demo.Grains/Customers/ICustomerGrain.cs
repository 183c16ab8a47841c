namespace Actors.Orleans.Demo.Grains.Customers;

/// <summary>A customer with two persistent states, profile and activity, on the silo's write-ahead log.</summary>
[Alias("bank.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Sets the display name and records it in the activity.</summary>
    [Alias("Rename")]
    Task<CustomerSummary> Rename(string name);

    /// <summary>Adds an account (once) and records it in the activity.</summary>
    [Alias("AddAccount")]
    Task<CustomerSummary> AddAccount(string accountId);

    /// <summary>Records an activity entry only.</summary>
    [Alias("Audit")]
    Task<CustomerSummary> Audit(string entry);

    /// <summary>The current summary.</summary>
    [Alias("GetSummary")]
    Task<CustomerSummary> GetSummary();
}
