namespace Actors.Streams.Client;

/// <summary>
/// What a gateway client's subscription pulls from the stream's owner (<see cref="Cluster.IStreamAgentGrain.PullClient"/>):
/// an offer of consecutive events, a report of an event that will not be delivered, or nothing (the wait ended with no
/// event). Infrastructure of the client stream provider.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ClientStreamBatch
{
    /// <summary>Creates a batch.</summary>
    public ClientStreamBatch(long offerId, List<ClientStreamEvent> events, StreamDeliveryException? report)
    {
        OfferId = offerId;
        Events = events;
        Report = report;
    }

    /// <summary>An empty batch: no event arrived within the pull's wait.</summary>
    public static ClientStreamBatch Empty { get; } = new(0, [], null);

    /// <summary>The offer's id, echoed in the acknowledgement (0 for an empty batch).</summary>
    [Id(0)]
    public long OfferId { get; }

    /// <summary>The events, in stream order (empty for a report).</summary>
    [Id(1)]
    public List<ClientStreamEvent> Events { get; }

    /// <summary>An event the owner gave up on (or a retention gap), for the observer's <c>OnErrorAsync</c>; null otherwise.</summary>
    [Id(2)]
    public StreamDeliveryException? Report { get; }

    /// <summary>Whether the batch carries nothing to handle.</summary>
    public bool IsEmpty => OfferId == 0;
}
