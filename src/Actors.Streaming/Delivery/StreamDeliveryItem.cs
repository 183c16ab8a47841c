using Actors.Streams.Storage;

namespace Actors.Streams.Delivery;

/// <summary>One stored event on its way to a subscriber: what it is, its sequence number and its bytes.</summary>
/// <remarks>Infrastructure of the stream providers; passed by reference between the delivery agent and the consumer (never mutated).</remarks>
[GenerateSerializer, Immutable]
public sealed class StreamDeliveryItem
{
    internal StreamDeliveryItem(StreamRecord record, long sequenceNumber)
    {
        Record = record;
        SequenceNumber = sequenceNumber;
    }

    /// <summary>The event's sequence number in its stream.</summary>
    [Id(0)]
    public long SequenceNumber { get; }

    [Id(1)]
    internal StreamRecord Record { get; }
}
