using Actors.Runtime;
using Actors.Streams.Delivery;
using Actors.Streams.Storage;
using Actors.Wal;
using StreamId = Actors.Runtime.StreamId;
using Microsoft.Extensions.Logging;

namespace Actors.Streams;

/// <content>The per-subscription delivery loops: read a batch from the log, deliver it, acknowledge, retry.</content>
internal sealed partial class StreamProvider
{
    /// <summary>Starts the subscription's loop if it has events to deliver and none runs (call under the stream's lock).</summary>
    private void StartDeliveryLocked(StreamState state, SubscriptionState subscription)
    {
        if (subscription.Running || subscription.Removed || state.Detached || subscription.Cursor >= state.QueueVersion || _stopping.IsCancellationRequested)
        {
            return;
        }

        subscription.Running = true;
        _ = Task.Run(() => DeliverLoopAsync(state, subscription));
    }

    private async Task DeliverLoopAsync(StreamState state, SubscriptionState subscription)
    {
        int attempts = 0;
        try
        {
            while (true)
            {
                long from;
                long to;
                long queueVersion;
                int generation;
                lock (state.Sync)
                {
                    if (subscription.Removed || state.Detached || _stopping.IsCancellationRequested || subscription.Cursor >= state.QueueVersion)
                    {
                        subscription.Running = false;
                        subscription.Queue.Reset(); // caught up or ended: nothing worth keeping open
                        return;
                    }

                    from = subscription.Cursor + 1;
                    to = Math.Min(state.QueueVersion, subscription.Cursor + (subscription.SingleEventsThrough > subscription.Cursor ? 1 : Options.MaxBatchSize));
                    generation = subscription.Generation;
                    queueVersion = state.QueueVersion;
                }

                StreamDelivery? delivery = await ReadBatchAsync(state, subscription, generation, from, to, queueVersion);
                if (delivery is null)
                {
                    continue;
                }

                int count = delivery.Items.Count;
                StreamDeliveryOutcome outcome;
                bool unreachable = false;
                Instruments.EnterFlight(count);
                try
                {
                    outcome = subscription.Sink is { } sink
                        ? await DeliverToClientAsync(subscription, generation, sink, delivery)
                        : await Consumer(subscription.GrainId).DeliverAsync(delivery);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    outcome = new StreamDeliveryOutcome(0, ObserverMissing: false, ex, 0);
                    unreachable = ex is PartitionUnavailableException or SiloUnavailableException or ClientNotAvailableException;
                }
                finally
                {
                    Instruments.LeaveFlight(count);
                }

                lock (state.Sync)
                {
                    if (subscription.Generation != generation)
                    {
                        // Rewound while the batch was out: what the subscriber did with it no longer counts.
                        attempts = 0;
                        continue;
                    }
                }

                if (outcome.Handled > 0)
                {
                    Acknowledge(state, subscription, generation, delivery.Items[outcome.Handled - 1].SequenceNumber);
                    Instruments.Delivered(outcome.Handled - outcome.Undeliverable);
                    attempts = 0;
                }

                if (outcome.Undeliverable > 0)
                {
                    Instruments.Failed(outcome.Undeliverable);
                    LogUndecodable(_logger, Name, state.StreamId, subscription.Id, subscription.GrainId, outcome.Undeliverable);
                }

                if (outcome.Handled == count || _stopping.IsCancellationRequested)
                {
                    continue;
                }

                Instruments.Retried();
                if (unreachable)
                {
                    // The subscriber's grain cannot be reached (its silo or partition is down or moving): not a failure
                    // of the subscriber, so it uses up no attempt; the events wait in the log until it is served.
                    LogSubscriberUnreachable(_logger, Name, state.StreamId, subscription.Id, subscription.GrainId, outcome.Failure!.Message);
                    if (subscription.Sink is { } gone && gone.SilentFor(_time) >= Options.ClientSubscriptionTimeout)
                    {
                        await DropClientSubscriptionAsync(state, subscription);
                        continue;
                    }

                    await DelayAsync(Options.DeliveryRetryDelay);
                    continue;
                }

                if (outcome.ObserverMissing)
                {
                    // Never given up: the events stay in the log until the grain resumes or cancels the subscription.
                    LogObserverMissing(_logger, Name, state.StreamId, subscription.Id, subscription.GrainId);
                    await DelayAsync(Options.MaxDeliveryRetryDelay);
                    continue;
                }

                StreamDeliveryItem failed = delivery.Items[outcome.Handled];
                if (++attempts < Options.MaxDeliveryAttempts)
                {
                    LogDeliveryRetry(_logger, outcome.Failure, Name, state.StreamId, failed.SequenceNumber, subscription.Id, subscription.GrainId, attempts);
                    await DelayAsync(RetryDelay(attempts));
                    continue;
                }

                if (await GiveUpAsync(state, subscription, generation, delivery, failed, attempts, outcome.Failure))
                {
                    attempts = 0;
                }
                else
                {
                    // Not told (unreachable, or no observer attached): the event is kept, and the next failure tells it.
                    await DelayAsync(Options.MaxDeliveryRetryDelay);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            lock (state.Sync)
            {
                subscription.Running = false;
            }
        }
    }

    /// <summary>Reads and decodes <paramref name="from"/>..<paramref name="to"/>; null when the loop should look again (events reclaimed, a read failed).</summary>
    private async Task<StreamDelivery?> ReadBatchAsync(StreamState state, SubscriptionState subscription, int generation, long from, long to, long queueVersion)
    {
        try
        {
            IEventLog log = await _logSource(_stopping.Token);
            IReadOnlyList<StoredEvent> events = await subscription.Queue.ReadAsync(log, state.QueueLogId, from, to, queueVersion, _stopping.Token);
            var items = new List<StreamDeliveryItem>(events.Count);
            foreach (StoredEvent stored in events)
            {
                StreamRecord record;
                try
                {
                    record = StreamRecordCodec.Decode(stored.Payload, state.QueueLogId, stored.Version);
                }
                catch (FormatException ex) when (items.Count == 0)
                {
                    // A record this silo cannot read (written by a newer format, or damaged): told, then passed.
                    var error = new StreamDeliveryException(Name, state.StreamId, subscription.Id, new EventSequenceToken(stored.Version),
                        $"the stored record cannot be read by this silo ({ex.Message})", ex);
                    Instruments.Failed(1);
                    LogUnreadable(_logger, ex, Name, state.StreamId, stored.Version, subscription.Id);
                    await ReportAndPassAsync(state, subscription, generation, error, stored.Version);
                    return null;
                }
                catch (FormatException)
                {
                    break; // the readable events before it go first; the next read starts at it
                }

                items.Add(new StreamDeliveryItem(record, stored.Version));
            }

            return items.Count == 0 ? null : new StreamDelivery(Name, state.StreamId, subscription.Id, subscription.IsImplicit, items);
        }
        catch (EventsReclaimedException ex)
        {
            // The subscriber was behind the retention point: it is told the whole gap, then continues at the oldest retained event.
            long oldest = await OldestRetainedAsync(state, ex.OldestAvailableVersion);
            var token = new EventSequenceToken(from);
            var error = new StreamDeliveryException(Name, state.StreamId, subscription.Id, token,
                $"sequence numbers {from} to {oldest - 1} are no longer retained", ex);
            Instruments.Failed((int)Math.Min(int.MaxValue, oldest - from));
            LogReclaimed(_logger, Name, state.StreamId, subscription.Id, from, oldest);
            await ReportAndPassAsync(state, subscription, generation, error, oldest - 1);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogReadFailed(_logger, ex, Name, state.StreamId, from, to);
            Instruments.Retried();
            await DelayAsync(Options.MaxDeliveryRetryDelay);
            return null;
        }
    }

    /// <summary>
    /// The oldest sequence number the queue still holds, given <paramref name="atLeast"/>, a bound below which nothing is
    /// held (an <see cref="EventsReclaimedException"/>'s oldest available version, which the log may name lower than the
    /// truth when nothing of the range read is left); the queue's version + 1 when it holds nothing. Found by single-event
    /// reads, halving the range: events are reclaimed or erased from the front only.
    /// </summary>
    /// <remarks>A read failing otherwise ends the search with the bound known so far (then a gap is reported in parts).</remarks>
    private async Task<long> OldestRetainedAsync(StreamState state, long atLeast)
    {
        long low = atLeast;
        long high;
        lock (state.Sync)
        {
            high = Math.Max(state.QueueVersion, low - 1) + 1;
        }

        try
        {
            IEventLog log = await _logSource(_stopping.Token);
            while (low < high)
            {
                long probe = low + ((high - low) / 2);
                try
                {
                    await log.ReadEventsAsync(state.QueueLogId, probe, probe, _stopping.Token);
                    high = probe;
                }
                catch (EventsReclaimedException ex)
                {
                    low = Math.Max(probe + 1, ex.OldestAvailableVersion);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogReadFailed(_logger, ex, Name, state.StreamId, low, high);
        }

        return low;
    }

    /// <summary>Tells the subscriber about events it cannot get, then moves its cursor to <paramref name="through"/>; when it was not told, waits and leaves the cursor (told on a later attempt: never passed unannounced).</summary>
    private async Task ReportAndPassAsync(StreamState state, SubscriptionState subscription, int generation, StreamDeliveryException error, long through)
    {
        if (await ReportAsync(subscription, generation, new StreamDelivery(Name, state.StreamId, subscription.Id, subscription.IsImplicit, []), error))
        {
            Acknowledge(state, subscription, generation, through);
        }
        else
        {
            await DelayAsync(Options.MaxDeliveryRetryDelay);
        }
    }

    /// <summary>
    /// The observer kept failing on <paramref name="failed"/>: it is reported to the observer's OnErrorAsync and passed.
    /// False (nothing passed) when the report did not reach an attached observer.
    /// </summary>
    private async Task<bool> GiveUpAsync(StreamState state, SubscriptionState subscription, int generation, StreamDelivery delivery, StreamDeliveryItem failed, int attempts, Exception? failure)
    {
        var token = new EventSequenceToken(failed.SequenceNumber);
        var error = new StreamDeliveryException(Name, state.StreamId, subscription.Id, token,
            $"the subscriber failed on it {attempts} times ({failure?.GetType().FullName}: {failure?.Message})", failure,
            failed.Record.Kind == StreamRecordKind.Item ? failed.Record.TypeName : null);
        LogGaveUp(_logger, failure, Name, state.StreamId, failed.SequenceNumber, subscription.Id, subscription.GrainId, attempts);
        Instruments.Failed(1);
        if (!await ReportAsync(subscription, generation, new StreamDelivery(Name, state.StreamId, subscription.Id, delivery.IsImplicit, [failed]), error))
        {
            return false;
        }

        Acknowledge(state, subscription, generation, failed.SequenceNumber);
        return true;
    }

    /// <summary>Tells the subscriber; false when the report reached no attached observer (then nothing may be passed).</summary>
    private async Task<bool> ReportAsync(SubscriptionState subscription, int generation, StreamDelivery delivery, StreamDeliveryException error)
    {
        try
        {
            if (subscription.Sink is { } sink
                ? await ReportToClientAsync(sink, generation, error)
                : await Consumer(subscription.GrainId).ReportUndeliverableAsync(delivery, new UndeliverableReport(error)))
            {
                return true;
            }

            LogReportFailed(_logger, null, Name, delivery.StreamId, subscription.Id, subscription.GrainId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReportFailed(_logger, ex, Name, delivery.StreamId, subscription.Id, subscription.GrainId);
        }

        return false;
    }

    /// <summary>Moves the cursor (unless a rewind happened meanwhile) and queues it for the table.</summary>
    private void Acknowledge(StreamState state, SubscriptionState subscription, int generation, long through)
    {
        lock (state.Sync)
        {
            if (subscription.Generation != generation || subscription.Removed || state.Detached || through <= subscription.Cursor)
            {
                return;
            }

            subscription.Cursor = through;
            state.PendingCursors[subscription.Id] = through;
        }

        KickWriter(state);
    }

    private TimeSpan RetryDelay(int attempts)
    {
        double factor = Math.Pow(2, Math.Min(attempts - 1, 20));
        TimeSpan delay = Options.DeliveryRetryDelay * factor;
        return delay > Options.MaxDeliveryRetryDelay ? Options.MaxDeliveryRetryDelay : delay;
    }

    private Task DelayAsync(TimeSpan delay) => Task.Delay(delay, _time, _stopping.Token);

    [LoggerMessage(10, LogLevel.Warning, "Stream provider {Provider}: grain {GrainId} has no observer for subscription {SubscriptionId} to stream {StreamId}; delivery waits until it resumes (ResumeAsync in OnActivateAsync) or unsubscribes")]
    private static partial void LogObserverMissing(ILogger logger, string provider, StreamId streamId, Guid subscriptionId, GrainId grainId);

    [LoggerMessage(11, LogLevel.Information, "Stream provider {Provider}: event {SequenceNumber} of stream {StreamId} failed for subscription {SubscriptionId} of grain {GrainId} (attempt {Attempts}); retrying")]
    private static partial void LogDeliveryRetry(ILogger logger, Exception? exception, string provider, StreamId streamId, long sequenceNumber, Guid subscriptionId, GrainId grainId, int attempts);

    [LoggerMessage(12, LogLevel.Error, "Stream provider {Provider}: event {SequenceNumber} of stream {StreamId} failed {Attempts} times for subscription {SubscriptionId} of grain {GrainId}; reported to its OnErrorAsync and passed")]
    private static partial void LogGaveUp(ILogger logger, Exception? exception, string provider, StreamId streamId, long sequenceNumber, Guid subscriptionId, GrainId grainId, int attempts);

    [LoggerMessage(13, LogLevel.Error, "Stream provider {Provider}: {Count} events of stream {StreamId} could not be decoded for subscription {SubscriptionId} of grain {GrainId}; reported to its OnErrorAsync")]
    private static partial void LogUndecodable(ILogger logger, string provider, StreamId streamId, Guid subscriptionId, GrainId grainId, int count);

    [LoggerMessage(14, LogLevel.Error, "Stream provider {Provider}: subscription {SubscriptionId} of stream {StreamId} was at {From}, but events before {Oldest} are no longer retained; reported to its OnErrorAsync")]
    private static partial void LogReclaimed(ILogger logger, string provider, StreamId streamId, Guid subscriptionId, long from, long oldest);

    [LoggerMessage(15, LogLevel.Error, "Stream provider {Provider}: reading events {From} to {To} of stream {StreamId} failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string provider, StreamId streamId, long from, long to);

    [LoggerMessage(18, LogLevel.Error, "Stream provider {Provider}: event {SequenceNumber} of stream {StreamId} is stored in a record this silo cannot read; reported to the OnErrorAsync of subscription {SubscriptionId} and passed")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string provider, StreamId streamId, long sequenceNumber, Guid subscriptionId);

    [LoggerMessage(17, LogLevel.Information, "Stream provider {Provider}: grain {GrainId} of subscription {SubscriptionId} to stream {StreamId} is unreachable ({Reason}); delivery waits for it without using up attempts")]
    private static partial void LogSubscriberUnreachable(ILogger logger, string provider, StreamId streamId, Guid subscriptionId, GrainId grainId, string reason);

    [LoggerMessage(16, LogLevel.Warning, "Stream provider {Provider}: could not report an undeliverable event of stream {StreamId} to subscription {SubscriptionId} of grain {GrainId} (unreachable, or no observer attached); the event is kept and reported later")]
    private static partial void LogReportFailed(ILogger logger, Exception? exception, string provider, StreamId streamId, Guid subscriptionId, GrainId grainId);
}
