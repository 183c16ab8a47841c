using Orleans;

namespace Chirper.Grains;

/// <summary>The durable part of an account: whom it follows, who follows it, and the chirps it keeps.</summary>
[GenerateSerializer]
public sealed class ChirperAccountState
{
    [Id(0)]
    public SortedSet<string> Subscriptions { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public SortedSet<string> Followers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Received chirps, oldest first (at most <see cref="ChirperAccount.ReceivedMessagesCacheSize"/>).</summary>
    [Id(2)]
    public List<ChirperMessage> RecentReceivedMessages { get; set; } = [];

    /// <summary>Published chirps, oldest first (at most <see cref="ChirperAccount.PublishedMessagesCacheSize"/>).</summary>
    [Id(3)]
    public List<ChirperMessage> MyPublishedMessages { get; set; } = [];
}
