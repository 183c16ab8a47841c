using Actors.Runtime;

namespace Actors.Streams;

/// <summary>
/// A grain's subscription to a stream (Orleans' <c>StreamSubscriptionHandle&lt;T&gt;</c>). The subscription is durable
/// and outlives the activation that made it; a new activation reattaches its observer with <see cref="ResumeAsync"/>.
/// </summary>
public abstract class StreamSubscriptionHandle<T> : IEquatable<StreamSubscriptionHandle<T>>
{
    /// <summary>The stream subscribed to.</summary>
    public abstract StreamId StreamId { get; }

    /// <summary>The provider of the stream.</summary>
    public abstract string ProviderName { get; }

    /// <summary>The subscription's id (stable across activations and restarts).</summary>
    public abstract Guid HandleId { get; }

    /// <summary>Cancels the subscription; completes once the cancellation is durable. Nothing more is delivered to it.</summary>
    public abstract Task UnsubscribeAsync();

    /// <summary>
    /// Attaches <paramref name="observer"/> to this subscription in the calling activation; with a
    /// <paramref name="token"/>, delivery restarts at that token (inclusive: a rewind, or a skip forward).
    /// </summary>
    /// <exception cref="StreamRewindException">The token is older than what the stream retains, or past its end.</exception>
    public abstract Task<StreamSubscriptionHandle<T>> ResumeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token = null);

    /// <inheritdoc />
    public bool Equals(StreamSubscriptionHandle<T>? other) => other is not null && other.HandleId == HandleId && other.StreamId == StreamId && other.ProviderName == ProviderName;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StreamSubscriptionHandle<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HandleId.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"subscription {HandleId} to {ProviderName}:{StreamId}";
}
