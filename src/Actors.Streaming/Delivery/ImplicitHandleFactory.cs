using Actors.Runtime;

namespace Actors.Streams.Delivery;

/// <summary>The <see cref="IStreamSubscriptionHandleFactory"/> given to <see cref="IStreamSubscriptionObserver.OnSubscribed"/>.</summary>
internal sealed class ImplicitHandleFactory(StreamProvider provider, StreamId streamId, Guid subscriptionId, GrainId grainId) : IStreamSubscriptionHandleFactory
{
    public StreamId StreamId => streamId;

    public string ProviderName => provider.Name;

    public Guid SubscriptionId => subscriptionId;

    public StreamSubscriptionHandle<T> Create<T>() => new SubscriptionHandle<T>(provider, streamId, subscriptionId, grainId);
}
