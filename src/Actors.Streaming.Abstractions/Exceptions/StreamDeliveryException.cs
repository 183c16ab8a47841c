using Actors.Runtime;

namespace Actors.Streams;

/// <summary>
/// Given to a subscriber's <see cref="IAsyncObserver{T}.OnErrorAsync"/> for an event that cannot be delivered to it:
/// the stored item is not of the subscriber's type or cannot be decoded, the observer kept failing on it, or the
/// event is no longer retained. The subscription continues after the event; the event was not silently dropped:
/// this exception, a log entry and the <c>actors.streams.delivery.failed</c> counter report it.
/// </summary>
[GenerateSerializer]
public sealed class StreamDeliveryException : StreamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="providerName">The stream provider.</param>
    /// <param name="streamId">The stream.</param>
    /// <param name="subscriptionId">The subscription the event was for.</param>
    /// <param name="token">The event's token.</param>
    /// <param name="detail">Why it could not be delivered.</param>
    /// <param name="innerException">The cause, if any.</param>
    /// <param name="itemTypeName">The stored item's type name, when the event is an item whose type is known.</param>
    public StreamDeliveryException(string providerName, StreamId streamId, Guid subscriptionId, StreamSequenceToken token, string detail, Exception? innerException = null, string? itemTypeName = null)
        : base(providerName, streamId, $"Event {token} of stream '{streamId}' (provider '{providerName}') could not be delivered to subscription {subscriptionId}: {detail}", innerException)
    {
        SubscriptionId = subscriptionId;
        Token = token;
        ItemTypeName = itemTypeName;
    }

    /// <summary>The subscription.</summary>
    [Id(0)]
    public Guid SubscriptionId { get; }

    /// <summary>The event's token.</summary>
    [Id(1)]
    public StreamSequenceToken Token { get; }

    /// <summary>
    /// The item's type as stored (<c>FullName, Assembly</c>) or as decoded, when the event is an item; null for a
    /// completion or error marker and for a range of events no longer retained.
    /// </summary>
    [Id(2)]
    public string? ItemTypeName { get; }
}
