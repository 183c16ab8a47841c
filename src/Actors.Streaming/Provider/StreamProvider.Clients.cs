using Actors.Runtime;
using Actors.Serialization;
using Actors.Streams.Client;
using Actors.Streams.Delivery;
using Actors.Streams.Storage;
using Microsoft.Extensions.Logging;
using StreamId = Actors.Runtime.StreamId;

namespace Actors.Streams;

/// <content>
/// Gateway clients' producers and subscriptions, run where the stream's log is (through the stream's agent grain). A
/// client's subscription is a row of the subscription table whose subscriber is <c>$streamclient/{clientId}</c>; its
/// delivery loop is the grains' one, with the batches offered to the subscription's <see cref="ClientSink"/>, which the
/// client pulls (<see cref="PullClientCoreAsync"/>): cursors, retries, undeliverable reports and the at-least-once
/// contract are the same as a grain's.
/// </content>
internal sealed partial class StreamProvider
{
    /// <summary>Serializes a client's items with this silo's grain serializer and appends them here as one batch.</summary>
    /// <exception cref="StreamItemRejectedException">An item cannot be serialized, or the log refused the batch.</exception>
    public async Task ProduceItemsCoreAsync(StreamId streamId, List<object?> items, Type itemType)
        => await ProduceCoreAsync(streamId, EncodeItems(streamId, items, itemType), itemType);

    /// <summary>Stores a client producer's completion (<paramref name="errorType"/> null) or error marker here.</summary>
    public Task ProduceEndCoreAsync(StreamId streamId, string? errorType, string? errorMessage, Type itemType)
        => ProduceCoreAsync(streamId, [errorType is null
            ? StreamRecordCodec.Encode(StreamRecordKind.Completed, string.Empty, [])
            : StreamRecordCodec.Encode(StreamRecordKind.Error, errorType, System.Text.Encoding.UTF8.GetBytes(errorMessage ?? string.Empty))], itemType);

    /// <summary>Records a new subscription of client <paramref name="clientId"/> and starts its delivery.</summary>
    public Task SubscribeClientCoreAsync(StreamId streamId, Guid id, string clientId, long? fromSequence)
        => SubscribeCoreAsync(streamId, id, ClientSubscribers.GrainIdOf(clientId), Token(fromSequence));

    /// <summary>Restarts delivery of a client subscription, rewound to <paramref name="fromSequence"/> when given.</summary>
    public Task ResumeClientCoreAsync(StreamId streamId, Guid id, string clientId, long? fromSequence)
        => ResumeCoreAsync(streamId, id, ClientSubscribers.GrainIdOf(clientId), Token(fromSequence));

    /// <summary>The subscriptions of client <paramref name="clientId"/> to the stream.</summary>
    public Task<IReadOnlyList<Guid>> ClientSubscriptionsCoreAsync(StreamId streamId, string clientId)
        => SubscriptionsOfCoreAsync(streamId, ClientSubscribers.GrainIdOf(clientId));

    /// <summary>A client's pull: acknowledges the previous offer and returns the next one (or empty after the wait).</summary>
    /// <exception cref="StreamSubscriptionNotFoundException">No such subscription of this client (cancelled, dropped, another client's).</exception>
    public async Task<ClientStreamBatch> PullClientCoreAsync(StreamId streamId, Guid id, string clientId, ClientStreamAck? ack, TimeSpan maxWait)
    {
        StreamState state = await GetLoadedAsync(streamId);
        ClientSink sink;
        lock (state.Sync)
        {
            if (!state.Subscriptions.TryGetValue(id, out SubscriptionState? subscription))
            {
                throw new StreamSubscriptionNotFoundException(Name, streamId, id, "it was cancelled, dropped because no client pulled from it for ClientSubscriptionTimeout, or never made");
            }

            if (subscription.GrainId != ClientSubscribers.GrainIdOf(clientId) || subscription.Sink is null)
            {
                throw new StreamSubscriptionNotFoundException(Name, streamId, id, $"it belongs to {subscription.GrainId}, not to client '{clientId}'");
            }

            sink = subscription.Sink;
            StartDeliveryLocked(state, subscription);
        }

        TimeSpan wait = maxWait <= TimeSpan.Zero || maxWait > Options.ClientPullWait ? Options.ClientPullWait : maxWait;
        return await sink.PullAsync(ack, wait, _time, _stopping.Token);
    }

    /// <summary>Offers a batch to a client subscription and turns its acknowledgement into the loop's outcome.</summary>
    /// <exception cref="ClientNotAvailableException">The client took and acknowledged nothing within <see cref="StreamProviderOptions.ClientAckTimeout"/>.</exception>
    private async Task<StreamDeliveryOutcome> DeliverToClientAsync(SubscriptionState subscription, int generation, ClientSink sink, StreamDelivery delivery)
    {
        ClientStreamAck ack = await sink.OfferAsync(generation, offerId => BatchFor(offerId, delivery), Options.ClientAckTimeout, _time, _stopping.Token)
            ?? throw new ClientNotAvailableException(
                $"The gateway client of subscription {subscription.Id} ({subscription.GrainId}) took and acknowledged no batch within ClientAckTimeout {Options.ClientAckTimeout} (disconnected, gone, or its observer too slow).");
        int count = delivery.Items.Count;
        if (ack.OfferId == ClientStreamAck.UnreadableOffer)
        {
            if (count > 1)
            {
                // Not the first event's fault: offer the batch's events one at a time (no attempt used), so only the
                // event the client cannot read fails, MaxDeliveryAttempts times, and is then reported and passed.
                subscription.SingleEventsThrough = delivery.Items[^1].SequenceNumber;
                throw new ClientNotAvailableException(
                    $"The gateway client of subscription {subscription.Id} could not read a batch of {count} events ({ack.Failure?.Message}); offering them one at a time.");
            }

            return new StreamDeliveryOutcome(0, ObserverMissing: false, ack.Failure ?? new InvalidOperationException("The gateway client could not read the event."), 0);
        }

        int handled = Math.Clamp(ack.Handled, 0, count);
        Exception? failure = handled < count
            ? ack.Failure ?? new ClientNotAvailableException($"The gateway client of subscription {subscription.Id} acknowledged {handled} of {count} events without a failure.")
            : null;
        return new StreamDeliveryOutcome(handled, ObserverMissing: false, failure, Math.Clamp(ack.Undeliverable, 0, handled));
    }

    /// <summary>Tells a client subscription's observer about an event given up on; false when the client did not acknowledge the report in time.</summary>
    private async Task<bool> ReportToClientAsync(ClientSink sink, int generation, StreamDeliveryException error)
        => await sink.OfferAsync(generation, offerId => new ClientStreamBatch(offerId, [], error), Options.ClientAckTimeout, _time, _stopping.Token) is not null;

    /// <summary>Decodes a delivery for a client: items as values (the client checks its observer's type), markers as they are.</summary>
    private ClientStreamBatch BatchFor(long offerId, StreamDelivery delivery)
    {
        var events = new List<ClientStreamEvent>(delivery.Items.Count);
        foreach (StreamDeliveryItem item in delivery.Items)
        {
            events.Add(item.Record.Kind switch
            {
                StreamRecordKind.Item => ClientItem(delivery, item),
                StreamRecordKind.Completed => new ClientStreamEvent(item.SequenceNumber, ClientStreamEventKind.Completed, null, null),
                _ => new ClientStreamEvent(item.SequenceNumber, ClientStreamEventKind.ProducerError, null, new StreamProducerErrorException(
                    delivery.ProviderName, delivery.StreamId, item.Record.TypeName, System.Text.Encoding.UTF8.GetString(item.Record.Payload.Span))),
            });
        }

        return new ClientStreamBatch(offerId, events, null);
    }

    /// <summary>
    /// An item for a client: decoded with the grain serializer, then checked against the call serializer that carries it
    /// through the gateway. An item the owner decodes but the call serializer cannot encode (a type stored through the
    /// grain serializer, JSON by default, without a call codec) would fail the whole pull's response, so the client would
    /// never get past it; it becomes an undeliverable event instead, reported to the observer, and the batch goes on.
    /// </summary>
    private ClientStreamEvent ClientItem(StreamDelivery delivery, StreamDeliveryItem item)
    {
        if (!StreamItemDecoder.TryDecode(Serializer, delivery, item, typeof(object), out object? value, out StreamDeliveryException error))
        {
            return new ClientStreamEvent(item.SequenceNumber, ClientStreamEventKind.Undeliverable, null, error);
        }

        try
        {
            _ = CallSerializer.SerializeToArray(value, typeof(object));
        }
        catch (SerializerException ex)
        {
            return new ClientStreamEvent(item.SequenceNumber, ClientStreamEventKind.Undeliverable, null, new StreamDeliveryException(
                delivery.ProviderName, delivery.StreamId, delivery.SubscriptionId, new EventSequenceToken(item.SequenceNumber),
                $"the item of type '{value?.GetType().FullName}' cannot be sent to the gateway client: the call serializer cannot encode it ({ex.Message}); give the type a call codec ([GenerateSerializer], a converter, or a JSON opt-in)",
                ex, item.Record.TypeName));
        }

        return new ClientStreamEvent(item.SequenceNumber, ClientStreamEventKind.Item, value, null);
    }

    /// <summary>Drops a client subscription nobody pulled from for <see cref="StreamProviderOptions.ClientSubscriptionTimeout"/>.</summary>
    private async Task DropClientSubscriptionAsync(StreamState state, SubscriptionState subscription)
    {
        lock (state.Sync)
        {
            if (subscription.Removed)
            {
                return;
            }

            subscription.Removed = true;
            state.Subscriptions.Remove(subscription.Id);
            state.PendingCursors.Remove(subscription.Id);
        }

        Instruments.ClientSubscriptionDropped();
        LogClientSubscriptionDropped(_logger, Name, state.StreamId, subscription.Id, subscription.GrainId, Options.ClientSubscriptionTimeout, subscription.Cursor);
        try
        {
            await EnqueueWriteAsync(state, new TableWrite(SubscriptionRecordCodec.EncodeUnsubscribe(subscription.Id)));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not recorded: after a restart the subscription is loaded again and dropped again after the bound.
            LogTableWriteFailed(_logger, ex, Name, state.StreamId, 1, 0);
        }
    }

    /// <summary>Serializes items with the grain serializer as their runtime types (a refused item fails the whole batch, nothing stored).</summary>
    private List<ReadOnlyMemory<byte>> EncodeItems<T>(StreamId streamId, IReadOnlyList<T> items, Type declaredType)
    {
        var records = new List<ReadOnlyMemory<byte>>(items.Count);
        foreach (T item in items)
        {
            Type type = item?.GetType() ?? declaredType;
            byte[] payload;
            try
            {
                payload = Serializer.Serialize(item, type);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new StreamItemRejectedException(Name, streamId, type, $"the grain serializer cannot serialize it ({ex.Message})", ex);
            }

            records.Add(StreamRecordCodec.Encode(StreamRecordKind.Item, StreamRecordCodec.TypeNameOf(type), payload));
        }

        return records;
    }

    private static EventSequenceToken? Token(long? fromSequence) => fromSequence is { } n ? new EventSequenceToken(n) : null;

    [LoggerMessage(30, LogLevel.Warning, "Stream provider {Provider}: subscription {SubscriptionId} of {Subscriber} to stream {StreamId} dropped: no client pulled from it for {Timeout} (its cursor was {Cursor})")]
    private static partial void LogClientSubscriptionDropped(ILogger logger, string provider, StreamId streamId, Guid subscriptionId, GrainId subscriber, TimeSpan timeout, long cursor);
}
