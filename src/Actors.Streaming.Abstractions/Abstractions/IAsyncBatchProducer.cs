namespace Actors.Streams;

/// <summary>Produces several items in one call (Orleans' <c>IAsyncBatchProducer&lt;T&gt;</c>).</summary>
public interface IAsyncBatchProducer<in T> : IAsyncObserver<T>
{
    /// <summary>
    /// Produces every item of <paramref name="batch"/>, in order, as one atomic unit: after a crash either all of them
    /// are in the stream or none is.
    /// </summary>
    /// <param name="batch">The items (at least one).</param>
    /// <param name="token">Must be null: the stream assigns the positions.</param>
    Task OnNextBatchAsync(IEnumerable<T> batch, StreamSequenceToken? token = null);
}
