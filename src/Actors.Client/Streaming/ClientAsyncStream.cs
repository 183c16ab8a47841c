using Actors.Runtime;
using Actors.Serialization;
using Actors.Streams;

namespace Actors.Client;

/// <summary>A stream seen from a gateway client: produce through the stream's agent, subscribe with a pulled subscription.</summary>
internal sealed class ClientAsyncStream<T>(ClientStreamProvider provider, StreamId streamId) : IAsyncStream<T>
{
    public StreamId StreamId => streamId;

    public string ProviderName => provider.Name;

    public bool IsRewindable => true;

    public Task OnNextAsync(T item, StreamSequenceToken? token = null)
    {
        RefuseProducerToken(token);
        return ProduceAsync([item]);
    }

    public Task OnNextBatchAsync(IEnumerable<T> batch, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        RefuseProducerToken(token);
        List<object?> items = [.. batch.Select(i => (object?)i)];
        return items.Count == 0 ? Task.CompletedTask : ProduceAsync(items);
    }

    public Task OnCompletedAsync() => provider.Agent(streamId).ProduceEnd(provider.Name, streamId, null, null, typeof(T));

    public Task OnErrorAsync(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return provider.Agent(streamId).ProduceEnd(provider.Name, streamId, ex.GetType().FullName ?? ex.GetType().Name, ex.Message, typeof(T));
    }

    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer) => SubscribeAsync(observer, null);

    public async Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var handle = new ClientSubscriptionHandle<T>(provider, streamId, Guid.NewGuid());
        await provider.Agent(streamId).SubscribeClient(provider.Name, streamId, handle.HandleId, provider.Streams.ClientId, token?.SequenceNumber);
        handle.Attach(observer);
        return handle;
    }

    public async Task<IList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandles()
    {
        List<Guid> ids = await provider.Agent(streamId).GetClientSubscriptions(provider.Name, streamId, provider.Streams.ClientId);
        return [.. ids.Select(id => (StreamSubscriptionHandle<T>)new ClientSubscriptionHandle<T>(provider, streamId, id))];
    }

    public bool Equals(IAsyncStream<T>? other) => other is not null && other.StreamId == streamId && other.ProviderName == provider.Name;

    public override bool Equals(object? obj) => obj is IAsyncStream<T> other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(streamId, provider.Name);

    public override string ToString() => $"{provider.Name}:{streamId}";

    /// <summary>Sends the items to the stream's owner, which serializes them with its grain serializer and stores them as one batch.</summary>
    /// <exception cref="StreamItemRejectedException">An item cannot cross the gateway (no codec for the client's call serializer) or the owner refused it; nothing was stored.</exception>
    private async Task ProduceAsync(List<object?> items)
    {
        try
        {
            await provider.Agent(streamId).ProduceItems(provider.Name, streamId, items, typeof(T));
        }
        catch (SerializerException ex)
        {
            Type type = items.FirstOrDefault(i => i is not null)?.GetType() ?? typeof(T);
            throw new StreamItemRejectedException(provider.Name, streamId, type, $"the client cannot send it to the silo ({ex.Message})", ex);
        }
    }

    private void RefuseProducerToken(StreamSequenceToken? token)
    {
        if (token is not null)
        {
            throw new NotSupportedException($"Stream {this}: producers cannot choose a sequence token; the log assigns positions (pass null).");
        }
    }
}
