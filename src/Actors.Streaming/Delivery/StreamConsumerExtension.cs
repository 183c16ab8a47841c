using System.Text;
using Actors.Runtime;
using Actors.Serialization;
using Actors.Streams.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Streams.Delivery;

/// <summary>
/// The observers one activation attached, by subscription id, and the delivery of batches to them. Lives as long as the
/// activation (a new activation starts with none: it resumes its subscriptions).
/// </summary>
/// <remarks>Used only from the activation's turns (deliveries are grain calls; attaching happens in grain code), so it needs no lock.</remarks>
internal sealed class StreamConsumerExtension(IGrainContext context) : IStreamConsumerExtension
{
    private readonly Dictionary<Guid, ObserverSlot> _observers = [];
    private IGrainSerializer? _serializer;

    public IGrainContext Context => context;

    public void Attach(Guid subscriptionId, ObserverSlot observer) => _observers[subscriptionId] = observer;

    public void Detach(Guid subscriptionId) => _observers.Remove(subscriptionId);

    public async Task<StreamDeliveryOutcome> DeliverAsync(StreamDelivery delivery)
    {
        if (!_observers.ContainsKey(delivery.SubscriptionId) && delivery.IsImplicit && context.GrainInstance is IStreamSubscriptionObserver subscriptionObserver)
        {
            StreamProvider provider = StreamProvider.Of(context.ActivationServices, delivery.ProviderName);
            await subscriptionObserver.OnSubscribed(new ImplicitHandleFactory(provider, delivery.StreamId, delivery.SubscriptionId, context.GrainId));
        }

        if (!_observers.TryGetValue(delivery.SubscriptionId, out ObserverSlot? observer))
        {
            return new StreamDeliveryOutcome(0, ObserverMissing: true, null, 0);
        }

        int undeliverable = 0;
        for (int i = 0; i < delivery.Items.Count; i++)
        {
            StreamDeliveryItem item = delivery.Items[i];
            var token = new EventSequenceToken(item.SequenceNumber);
            try
            {
                switch (item.Record.Kind)
                {
                    case StreamRecordKind.Item:
                        _serializer ??= context.ActivationServices.GetRequiredService<IGrainSerializer>();
                        if (!StreamItemDecoder.TryDecode(_serializer, delivery, item, observer.ItemType, out object? value, out StreamDeliveryException? error))
                        {
                            undeliverable++;
                            await observer.OnErrorAsync(error);
                            break;
                        }

                        await observer.OnNextAsync(value, token);
                        break;
                    case StreamRecordKind.Completed:
                        await observer.OnCompletedAsync();
                        break;
                    default:
                        await observer.OnErrorAsync(new StreamProducerErrorException(
                            delivery.ProviderName, delivery.StreamId, item.Record.TypeName, Encoding.UTF8.GetString(item.Record.Payload.Span)));
                        break;
                }
            }
            catch (Exception ex)
            {
                return new StreamDeliveryOutcome(i, ObserverMissing: false, ex, undeliverable);
            }
        }

        return new StreamDeliveryOutcome(delivery.Items.Count, ObserverMissing: false, null, undeliverable);
    }

    public async Task<bool> ReportUndeliverableAsync(StreamDelivery delivery, UndeliverableReport report)
    {
        if (!_observers.TryGetValue(delivery.SubscriptionId, out ObserverSlot? observer))
        {
            return false;
        }

        try
        {
            await observer.OnErrorAsync(report.Error);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Told: what the observer does about it, throwing included, is its own business (as in Orleans).
        }

        return true;
    }
}
