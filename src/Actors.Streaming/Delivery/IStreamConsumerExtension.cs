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

    /// <summary>Tells the subscription's observer (if attached) that an event will not be delivered, through <c>OnErrorAsync</c>.</summary>
    Task ReportUndeliverableAsync(StreamDelivery delivery, UndeliverableReport report);
}
