namespace Actors.Streams.Delivery;

/// <summary>Why an event is not delivered, carried to the subscriber by reference (the exception is never copied).</summary>
/// <param name="Error">What the subscriber's <c>OnErrorAsync</c> receives.</param>
[GenerateSerializer, Immutable]
public sealed record UndeliverableReport([property: Id(0)] StreamDeliveryException Error);
