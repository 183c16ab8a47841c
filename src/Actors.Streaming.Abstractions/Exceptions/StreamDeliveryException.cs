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
    public StreamDeliveryException(string providerName, StreamId streamId, Guid subscriptionId, StreamSequenceToken token, string detail, Exception? innerException = null)
        : base(providerName, streamId, $"Event {token} of stream '{streamId}' (provider '{providerName}') could not be delivered to subscription {subscriptionId}: {detail}", innerException)
    {
        SubscriptionId = subscriptionId;
        Token = token;
    }

    /// <summary>The subscription.</summary>
    [Id(0)]
    public Guid SubscriptionId { get; }

    /// <summary>The event's token.</summary>
    [Id(1)]
    public StreamSequenceToken Token { get; }
}
