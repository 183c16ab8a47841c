using Actors.Runtime;

namespace Actors.Streams;

/// <summary>The handle of a subscription of a <see cref="StreamProvider"/>.</summary>
internal sealed class SubscriptionHandle<T>(StreamProvider provider, StreamId streamId, Guid handleId, GrainId grainId) : StreamSubscriptionHandle<T>
{
    public override StreamId StreamId => streamId;

    public override string ProviderName => provider.Name;

    public override Guid HandleId => handleId;

    /// <summary>The subscribing grain.</summary>
    public GrainId GrainId => grainId;

    public override Task UnsubscribeAsync() => provider.UnsubscribeAsync(this);

    public override Task<StreamSubscriptionHandle<T>> ResumeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token = null) => provider.ResumeAsync(this, observer, token);
}
