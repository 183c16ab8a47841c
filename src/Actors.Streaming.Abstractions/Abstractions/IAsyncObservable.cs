namespace Actors.Streams;

/// <summary>Something that can be subscribed to (Orleans' <c>IAsyncObservable&lt;T&gt;</c>).</summary>
public interface IAsyncObservable<T>
{
    /// <summary>
    /// Subscribes <paramref name="observer"/> to the events produced from now on. Call it from a grain: the
    /// subscription belongs to the grain (it survives the activation; see <see cref="StreamSubscriptionHandle{T}.ResumeAsync"/>).
    /// </summary>
    /// <returns>The handle, once the subscription is durable under the provider's storage.</returns>
    Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer);

    /// <summary>
    /// Subscribes <paramref name="observer"/> starting at <paramref name="token"/> (inclusive): earlier events still
    /// retained are replayed (rewind). A null token means "from now on".
    /// </summary>
    /// <exception cref="StreamRewindException">The token is older than what the stream retains, or past its end.</exception>
    Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token);
}
