namespace Actors.Orleans.Demo.Grains.Customers;

/// <summary>What a customer answers.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Name">The display name.</param>
/// <param name="Accounts">The customer's accounts, in order.</param>
/// <param name="ActivityEntries">How many activity entries were ever recorded.</param>
/// <param name="LastActivity">The latest activity entry, or null.</param>
[GenerateSerializer, Alias("bank.customer-summary")]
public sealed record CustomerSummary(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> Accounts,
    [property: Id(3)] long ActivityEntries,
    [property: Id(4)] string? LastActivity);
