using Actors.Concurrency;
using Actors.Placement;
using Actors.Runtime;

namespace Actors.Streams.Cluster;

/// <summary>
/// Runs a stream's operations on the owner of its partition (see <see cref="IStreamAgentGrain"/>). It holds no state of
/// its own: every call goes to the named provider of this silo, which reads and writes the partition's log. Reentrant:
/// producers of one stream are appended concurrently (the log orders them).
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

    private StreamProvider Provider(string name) => StreamProvider.Of(services, name);

    private static EventSequenceToken? Token(long? fromSequence) => fromSequence is { } n ? new EventSequenceToken(n) : null;
}
