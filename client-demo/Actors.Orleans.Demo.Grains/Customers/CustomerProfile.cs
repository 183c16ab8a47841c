namespace Actors.Orleans.Demo.Grains.Customers;

/// <summary>
/// A customer's profile, the first of its two persistent states. A change that also adds an activity entry commits
/// here first, carrying that entry (<see cref="Outbox"/>); the activity state takes it in a second write, or at the
/// next activation if the silo died in between.
/// </summary>
[GenerateSerializer, Alias("bank.customer-profile")]
public sealed class CustomerProfile
{
    /// <summary>The display name.</summary>
    [Id(0)]
    public string Name { get; set; } = "";

    /// <summary>The customer's accounts, in the order they were added.</summary>
    [Id(1)]
    public List<string> Accounts { get; set; } = [];

    /// <summary>The activity entry the latest profile change committed, or null.</summary>
    [Id(2)]
    public string? Outbox { get; set; }

    /// <summary>The activity sequence number <see cref="Outbox"/> takes (its <see cref="CustomerActivity.Total"/> once recorded).</summary>
    [Id(3)]
    public long OutboxSequence { get; set; }
}
