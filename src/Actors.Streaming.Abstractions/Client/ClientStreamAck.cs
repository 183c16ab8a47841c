namespace Actors.Streams.Client;

/// <summary>What a gateway client's observer did with an offer (<see cref="ClientStreamBatch"/>), sent with its next pull.</summary>
/// <param name="OfferId">
/// The offer acknowledged; an acknowledgement of an offer the owner no longer waits for is ignored.
/// <see cref="UnreadableOffer"/>: the client could not read the open offer (<paramref name="Failure"/> says why).
/// </param>
/// <param name="Handled">How many leading events were handled (delivered, or reported to the observer as undeliverable); for a report, 1 once the observer was told.</param>
/// <param name="Failure">What the observer threw on event <paramref name="Handled"/>, or null.</param>
/// <param name="Undeliverable">How many of the handled events were reported to the observer's <c>OnErrorAsync</c> instead of delivered.</param>
[GenerateSerializer, Immutable]
public sealed record ClientStreamAck(
    [property: Id(0)] long OfferId,
    [property: Id(1)] int Handled,
    [property: Id(2)] Exception? Failure,
    [property: Id(3)] int Undeliverable)
{
    /// <summary>The <see cref="OfferId"/> of an acknowledgement saying the client could not read (deserialize) the open offer.</summary>
    public const long UnreadableOffer = -1;
}
