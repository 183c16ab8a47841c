namespace Actors.Streams.Delivery;

/// <summary>What a subscriber did with a <see cref="StreamDelivery"/>.</summary>
/// <param name="Handled">How many leading items were handled (delivered, or reported to the observer as undeliverable).</param>
/// <param name="ObserverMissing">The activation has no observer for the subscription (it did not resume it); nothing was handled.</param>
/// <param name="Failure">What the observer threw on item <paramref name="Handled"/>, or null.</param>
/// <param name="Undeliverable">How many of the handled items could not be decoded for the observer (reported to its <c>OnErrorAsync</c>).</param>
[GenerateSerializer, Immutable]
public sealed record StreamDeliveryOutcome([property: Id(0)] int Handled, [property: Id(1)] bool ObserverMissing, [property: Id(2)] Exception? Failure, [property: Id(3)] int Undeliverable);
