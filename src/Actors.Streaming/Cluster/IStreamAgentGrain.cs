using Actors.Runtime;

namespace Actors.Streams.Cluster;

/// <summary>
/// A stream's agent in a cluster: a grain placed on the owner of the stream's partition (its key is the stream's
/// <c>P:{len(ns)}:ns:key</c>), through which any silo produces to the stream and changes its subscriptions. The owner
/// keeps the stream's queue and subscription table in its partition log and runs the delivery loops. Infrastructure;
/// grain code uses <see cref="IAsyncStream{T}"/>.
/// </summary>
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
}
