using System.Text;
using Actors.Runtime;
using Actors.Streams.Storage;

namespace Actors.Streams;

/// <summary>A stream of a <see cref="StreamProvider"/>: a cheap value object (id + provider).</summary>
internal sealed class AsyncStream<T>(StreamProvider provider, StreamId streamId) : IAsyncStream<T>
{
    public StreamId StreamId => streamId;

    public string ProviderName => provider.Name;

    public bool IsRewindable => provider.IsRewindable;

    public Task OnNextAsync(T item, StreamSequenceToken? token = null)
    {
        RefuseProducerToken(token);
        return provider.ProduceAsync(streamId, [item]);
    }

    public Task OnNextBatchAsync(IEnumerable<T> batch, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        RefuseProducerToken(token);
        T[] items = [.. batch];
        return items.Length == 0 ? Task.CompletedTask : provider.ProduceAsync(streamId, items);
    }

    public Task OnCompletedAsync() => provider.ProduceMarkerAsync(streamId, StreamRecordKind.Completed, string.Empty, [], typeof(T));

    public Task OnErrorAsync(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return provider.ProduceMarkerAsync(streamId, StreamRecordKind.Error, ex.GetType().FullName ?? ex.GetType().Name, Encoding.UTF8.GetBytes(ex.Message), typeof(T));
    }

    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer) => provider.SubscribeAsync(streamId, observer, null);

    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token) => provider.SubscribeAsync(streamId, observer, token);

    public Task<IList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandles() => provider.GetAllSubscriptionHandlesAsync<T>(streamId);

    public bool Equals(IAsyncStream<T>? other) => other is not null && other.StreamId == streamId && other.ProviderName == provider.Name;

    public override bool Equals(object? obj) => obj is IAsyncStream<T> other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(streamId, provider.Name);

    public override string ToString() => $"{provider.Name}:{streamId}";

    private void RefuseProducerToken(StreamSequenceToken? token)
    {
        if (token is not null)
        {
            throw new NotSupportedException($"Stream {this}: producers cannot choose a sequence token; the log assigns positions (pass null).");
        }
    }
}
