using Actors.Concurrency;
using Actors.Placement;
using Actors.Runtime;
using Actors.Streams.Client;

namespace Actors.Streams.Cluster;

/// <summary>
/// Runs a stream's operations on the owner of its partition (see <see cref="IStreamAgentGrain"/>), or on the single silo
/// for gateway clients. It holds no state of its own: every call goes to the named provider of this silo, which reads
/// and writes the partition's log. Reentrant: producers of one stream are appended concurrently (the log orders them),
/// and clients' pulls wait without blocking other calls.
/// </summary>
[GrainType(TypeName)]
[PartitionOwnerPlacement]
[Reentrant]
internal sealed class StreamAgentGrain(IServiceProvider services) : Grain, IStreamAgentGrain
{
    /// <summary>The agents' grain type name.</summary>
    public const string TypeName = "streamagent";

    public Task Produce(string provider, StreamId streamId, List<byte[]> records, Type itemType)
        => Provider(provider).ProduceCoreAsync(streamId, [.. records.Select(r => (ReadOnlyMemory<byte>)r)], itemType);

    public Task Subscribe(string provider, StreamId streamId, Guid subscriptionId, GrainId subscriber, long? fromSequence)
        => Provider(provider).SubscribeCoreAsync(streamId, subscriptionId, subscriber, Token(fromSequence));

    public Task Resume(string provider, StreamId streamId, Guid subscriptionId, GrainId subscriber, long? fromSequence)
        => Provider(provider).ResumeCoreAsync(streamId, subscriptionId, subscriber, Token(fromSequence));

    public Task Unsubscribe(string provider, StreamId streamId, Guid subscriptionId)
        => Provider(provider).UnsubscribeCoreAsync(streamId, subscriptionId);

    public async Task<List<Guid>> GetSubscriptions(string provider, StreamId streamId, GrainId subscriber)
        => [.. await Provider(provider).SubscriptionsOfCoreAsync(streamId, subscriber)];

    public Task ProduceItems(string provider, StreamId streamId, List<object?> items, Type itemType)
        => Provider(provider).ProduceItemsCoreAsync(streamId, items, itemType);

    public Task ProduceEnd(string provider, StreamId streamId, string? errorType, string? errorMessage, Type itemType)
        => Provider(provider).ProduceEndCoreAsync(streamId, errorType, errorMessage, itemType);

    public Task SubscribeClient(string provider, StreamId streamId, Guid subscriptionId, string clientId, long? fromSequence)
        => Provider(provider).SubscribeClientCoreAsync(streamId, subscriptionId, clientId, fromSequence);

    public Task ResumeClient(string provider, StreamId streamId, Guid subscriptionId, string clientId, long? fromSequence)
        => Provider(provider).ResumeClientCoreAsync(streamId, subscriptionId, clientId, fromSequence);

    public Task<ClientStreamBatch> PullClient(string provider, StreamId streamId, Guid subscriptionId, string clientId, ClientStreamAck? ack, TimeSpan maxWait)
        => Provider(provider).PullClientCoreAsync(streamId, subscriptionId, clientId, ack, maxWait);

    public async Task<List<Guid>> GetClientSubscriptions(string provider, StreamId streamId, string clientId)
        => [.. await Provider(provider).ClientSubscriptionsCoreAsync(streamId, clientId)];

    private StreamProvider Provider(string name) => StreamProvider.Of(services, name);

    private static EventSequenceToken? Token(long? fromSequence) => fromSequence is { } n ? new EventSequenceToken(n) : null;
}
