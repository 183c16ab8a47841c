namespace Actors.Streams.Client;

/// <summary>One stream event on its way to a gateway client's observer, decoded on the stream's owner.</summary>
/// <param name="SequenceNumber">The event's sequence number (its token).</param>
/// <param name="Kind">What the event is.</param>
/// <param name="Value">The item (for <see cref="ClientStreamEventKind.Item"/>).</param>
/// <param name="Error">
/// For <see cref="ClientStreamEventKind.Undeliverable"/>: why the owner could not decode the item (a
/// <see cref="StreamDeliveryException"/>); for <see cref="ClientStreamEventKind.ProducerError"/>: the producer's error.
/// </param>
[GenerateSerializer, Immutable]
public sealed record ClientStreamEvent(
    [property: Id(0)] long SequenceNumber,
    [property: Id(1)] ClientStreamEventKind Kind,
    [property: Id(2)] object? Value,
    [property: Id(3)] StreamException? Error);
