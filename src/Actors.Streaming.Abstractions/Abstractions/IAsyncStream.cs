using Actors.Runtime;

namespace Actors.Streams;

/// <summary>
/// A stream (Orleans' <c>IAsyncStream&lt;T&gt;</c>): produce to it with <see cref="IAsyncObserver{T}.OnNextAsync"/> and
/// <see cref="IAsyncBatchProducer{T}.OnNextBatchAsync"/>, subscribe to it with <see cref="IAsyncObservable{T}.SubscribeAsync(IAsyncObserver{T})"/>.
/// </summary>
/// <remarks>
/// Producing completes when the items are stored under the provider's durability (for the write-ahead-log provider:
/// the store's sync policy, the same as grain state). An item that cannot be serialized or stored fails the call with
/// a <see cref="StreamItemRejectedException"/> naming the stream and the type, and nothing is stored.
/// </remarks>
public interface IAsyncStream<T> : IAsyncObservable<T>, IAsyncBatchProducer<T>, IEquatable<IAsyncStream<T>>
{
    /// <summary>The stream's id.</summary>
    StreamId StreamId { get; }

    /// <summary>The name of the provider the stream belongs to.</summary>
    string ProviderName { get; }

    /// <summary>Whether subscriptions may start from an earlier token.</summary>
    bool IsRewindable { get; }

    /// <summary>The calling grain's subscriptions to this stream (explicit ones), to resume or cancel them.</summary>
    Task<IList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandles();
}
