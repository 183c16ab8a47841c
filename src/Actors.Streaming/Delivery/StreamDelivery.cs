using Actors.Runtime;

namespace Actors.Streams.Delivery;

/// <summary>A batch of consecutive events of one stream for one subscription.</summary>
/// <remarks>Infrastructure of the stream providers; passed by reference in-silo (never mutated).</remarks>
[GenerateSerializer, Immutable]
public sealed class StreamDelivery
{
    internal StreamDelivery(string providerName, StreamId streamId, Guid subscriptionId, bool isImplicit, IReadOnlyList<StreamDeliveryItem> items)
    {
        ProviderName = providerName;
        StreamId = streamId;
        SubscriptionId = subscriptionId;
        IsImplicit = isImplicit;
        Items = items;
    }

    /// <summary>The provider.</summary>
    [Id(0)]
    public string ProviderName { get; }

    /// <summary>The stream.</summary>
    [Id(1)]
    public StreamId StreamId { get; }

    /// <summary>The subscription the batch is for.</summary>
    [Id(2)]
    public Guid SubscriptionId { get; }

    /// <summary>Whether the subscription is implicit.</summary>
    [Id(3)]
    public bool IsImplicit { get; }

    /// <summary>The events, in stream order.</summary>
    [Id(4)]
    public IReadOnlyList<StreamDeliveryItem> Items { get; }
}
