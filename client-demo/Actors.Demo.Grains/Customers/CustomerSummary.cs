namespace Actors.Demo.Grains.Customers;

/// <summary>What a customer grain reports.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Name">The display name.</param>
/// <param name="Accounts">The accounts the customer opened.</param>
/// <param name="AuditEntries">How many audit entries were ever recorded.</param>
/// <param name="LastAuditEntry">The latest audit entry, or null.</param>
/// <param name="ProfileETag">The profile state's ETag (its version in the grain's stream).</param>
/// <param name="ActivityETag">The activity state's ETag.</param>
[GenerateSerializer, Alias("demo.customer-summary")]
public sealed record CustomerSummary(
    string CustomerId,
    string Name,
    IReadOnlyList<string> Accounts,
    long AuditEntries,
    string? LastAuditEntry,
    string? ProfileETag,
    string? ActivityETag);
