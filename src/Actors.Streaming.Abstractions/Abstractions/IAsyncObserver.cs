namespace Actors.Streams;

/// <summary>Receives the events of a stream (Orleans' <c>IAsyncObserver&lt;T&gt;</c>); also the producer side of a stream.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// On a subscriber, the calls for one subscription never overlap and come in stream order, on the subscribing grain's
/// activation (as grain calls: they follow its scheduling rules). A call that throws is retried (at least once
/// delivery); <see cref="OnErrorAsync"/> reports what cannot be delivered, with a <see cref="StreamDeliveryException"/>.
/// </remarks>
public interface IAsyncObserver<in T>
{
    /// <summary>The next item, with its position in the stream.</summary>
    Task OnNextAsync(T item, StreamSequenceToken? token = null);

    /// <summary>The producer completed the stream.</summary>
    Task OnCompletedAsync();

    /// <summary>The producer reported an error, or an item could not be delivered to this subscriber.</summary>
    Task OnErrorAsync(Exception ex);
}
