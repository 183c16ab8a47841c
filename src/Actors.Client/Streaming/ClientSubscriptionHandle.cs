using Actors.Runtime;
using Actors.Streams;

namespace Actors.Client;

/// <summary>A gateway client's subscription: its observer is fed by a <see cref="ClientSubscriptionPump{T}"/> in this client.</summary>
internal sealed class ClientSubscriptionHandle<T>(ClientStreamProvider provider, StreamId streamId, Guid handleId) : StreamSubscriptionHandle<T>
{
    public override StreamId StreamId => streamId;

    public override string ProviderName => provider.Name;

    public override Guid HandleId => handleId;

    public override async Task UnsubscribeAsync()
    {
        provider.Streams.Stop(handleId);
        await provider.Agent(streamId).Unsubscribe(provider.Name, streamId, handleId);
    }

    /// <exception cref="StreamSubscriptionNotFoundException">The subscription was cancelled, or dropped because this client was gone longer than the provider's <c>ClientSubscriptionTimeout</c>.</exception>
    public override async Task<StreamSubscriptionHandle<T>> ResumeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(observer);
        provider.Streams.Stop(handleId);
        await provider.Agent(streamId).ResumeClient(provider.Name, streamId, handleId, provider.Streams.ClientId, token?.SequenceNumber);
        Attach(observer);
        return this;
    }

    /// <summary>Starts feeding <paramref name="observer"/> (replacing the observer attached before, if any).</summary>
    public void Attach(IAsyncObserver<T> observer)
        => provider.Streams.Run(handleId, new ClientSubscriptionPump<T>(provider.Agent(streamId), provider.Name, streamId, handleId, provider.Streams.ClientId, observer));
}
