namespace Actors.Demo.Grains.Customers;

/// <summary>A customer's profile: a persistent state written as a whole on each change.</summary>
public sealed class CustomerProfile
{
    /// <summary>The display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The accounts the customer opened, in order.</summary>
    public List<string> Accounts { get; set; } = [];
}
