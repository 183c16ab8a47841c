using Actors.Orleans.Demo.Grains.Customers;

namespace Actors.Orleans.Crash.Tests.Verification;

/// <summary>A customer whose summary the test sets directly.</summary>
internal sealed class FakeCustomerGrain(string id) : ICustomerGrain
{
    public CustomerSummary Summary { get; set; } = new(id, "", [], 0, null);

    public Task<CustomerSummary> GetSummary() => Task.FromResult(Summary);

    public Task<CustomerSummary> Rename(string name) => throw new NotSupportedException("The verifier only reads.");

    public Task<CustomerSummary> AddAccount(string accountId) => throw new NotSupportedException("The verifier only reads.");

    public Task<CustomerSummary> Audit(string entry) => throw new NotSupportedException("The verifier only reads.");
}
