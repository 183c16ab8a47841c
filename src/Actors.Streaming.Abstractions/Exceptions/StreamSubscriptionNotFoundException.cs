using Actors.Runtime;

namespace Actors.Streams;

/// <summary>
/// The subscription does not exist (any more): it was cancelled, never made in this provider, or, for a gateway client's
/// subscription, dropped because no client pulled from it for <c>ClientSubscriptionTimeout</c>. Nothing is delivered to
/// it; subscribe again (with a token to continue where the observer stopped).
/// </summary>
[GenerateSerializer]
public sealed class StreamSubscriptionNotFoundException : StreamException
{
    /// <summary>Creates the exception.</summary>
    public StreamSubscriptionNotFoundException(string providerName, StreamId streamId, Guid subscriptionId, string detail)
        : base(providerName, streamId, $"Subscription {subscriptionId} to stream '{streamId}' of provider '{providerName}' does not exist: {detail}.")
    {
        SubscriptionId = subscriptionId;
    }

    /// <summary>The subscription.</summary>
    [Id(0)]
    public Guid SubscriptionId { get; }
}
