using Actors.Runtime;

namespace Actors.Streams.Delivery;

/// <summary>
/// How stream providers reach a subscribing grain: a grain extension every activation answers, holding the observers
/// the activation attached. Infrastructure; grain code uses <see cref="IAsyncStream{T}"/> and handles.
/// </summary>
public interface IStreamConsumerExtension : IGrainExtension
{
    /// <summary>Delivers the batch to the subscription's observer in order, stopping at the first item the observer throws on.</summary>
    Task<StreamDeliveryOutcome> DeliverAsync(StreamDelivery delivery);

    /// <summary>
    /// Tells the subscription's observer that an event will not be delivered, through <c>OnErrorAsync</c>. True when an
    /// attached observer was told (even if its <c>OnErrorAsync</c> threw); false when no observer is attached here (the
    /// provider then keeps the event and tells it later, never passing it unannounced).
    /// </summary>
    Task<bool> ReportUndeliverableAsync(StreamDelivery delivery, UndeliverableReport report);
}
