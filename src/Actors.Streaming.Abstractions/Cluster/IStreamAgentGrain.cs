using Actors.Runtime;
using Actors.Streams.Client;

namespace Actors.Streams.Cluster;

/// <summary>
/// A stream's agent: a grain placed on the owner of the stream's partition in a cluster (its key is the stream's
/// <c>P:{len(ns)}:ns:key</c>), through which any silo, and any gateway client, produces to the stream and changes its
/// subscriptions. The owner keeps the stream's queue and subscription table in its partition log and runs the delivery
/// loops. Infrastructure; grain and client code use <see cref="IAsyncStream{T}"/>.
/// </summary>
/// <remarks>
/// A gateway client's subscription (the <c>...Client</c> methods) is delivered by the client pulling: the owner's delivery
/// loop offers each batch to the subscription's sink, and the client's next <see cref="PullClient"/> takes it and
/// acknowledges the previous one, so delivery works from whichever gateway the client is connected to and survives its
/// reconnects. A client id names the client that owns a subscription.
/// </remarks>
public interface IStreamAgentGrain : IGrainWithStringKey
{
    /// <summary>Appends already-encoded records as one atomic batch; completes when durable.</summary>
    Task Produce(string provider, StreamId streamId, List<byte[]> records, Type itemType);

    /// <summary>Records a new explicit subscription of <paramref name="subscriber"/> starting after the stream's end, or at <paramref name="fromSequence"/>.</summary>
    Task Subscribe(string provider, StreamId streamId, Guid subscriptionId, GrainId subscriber, long? fromSequence);

    /// <summary>Restarts delivery of a subscription (at <paramref name="fromSequence"/> when given).</summary>
    Task Resume(string provider, StreamId streamId, Guid subscriptionId, GrainId subscriber, long? fromSequence);

    /// <summary>Cancels an explicit subscription.</summary>
    Task Unsubscribe(string provider, StreamId streamId, Guid subscriptionId);

    /// <summary>The explicit subscriptions of <paramref name="subscriber"/> to the stream.</summary>
    Task<List<Guid>> GetSubscriptions(string provider, StreamId streamId, GrainId subscriber);

    /// <summary>Serializes <paramref name="items"/> with the owner's grain serializer and appends them as one atomic batch; completes when durable.</summary>
    /// <exception cref="StreamItemRejectedException">An item cannot be serialized or the log refused the batch; nothing was stored.</exception>
    Task ProduceItems(string provider, StreamId streamId, List<object?> items, Type itemType);

    /// <summary>Stores the producer's completion (<paramref name="errorType"/> null) or error marker.</summary>
    Task ProduceEnd(string provider, StreamId streamId, string? errorType, string? errorMessage, Type itemType);

    /// <summary>Records a new subscription of gateway client <paramref name="clientId"/>, starting after the stream's end or at <paramref name="fromSequence"/>.</summary>
    /// <exception cref="StreamRewindException">The start is not retained or past the end.</exception>
    Task SubscribeClient(string provider, StreamId streamId, Guid subscriptionId, string clientId, long? fromSequence);

    /// <summary>
    /// Restarts delivery of a subscription of gateway client <paramref name="clientId"/> (the id that made it: the same
    /// client instance, or a restarted process that uses the same stream client id), at <paramref name="fromSequence"/>
    /// when given.
    /// </summary>
    /// <exception cref="StreamSubscriptionNotFoundException">The subscription does not exist (cancelled, or dropped as its client was gone).</exception>
    /// <exception cref="InvalidOperationException">The subscription belongs to another subscriber.</exception>
    Task ResumeClient(string provider, StreamId streamId, Guid subscriptionId, string clientId, long? fromSequence);

    /// <summary>
    /// Acknowledges <paramref name="ack"/> (what the client's observer did with the previous offer) and waits up to
    /// <paramref name="maxWait"/> (capped by the provider's <c>ClientPullWait</c>) for the next offer.
    /// </summary>
    /// <exception cref="StreamSubscriptionNotFoundException">The subscription does not exist or is another client's.</exception>
    Task<ClientStreamBatch> PullClient(string provider, StreamId streamId, Guid subscriptionId, string clientId, ClientStreamAck? ack, TimeSpan maxWait);

    /// <summary>The subscriptions of gateway client <paramref name="clientId"/> to the stream.</summary>
    Task<List<Guid>> GetClientSubscriptions(string provider, StreamId streamId, string clientId);
}
