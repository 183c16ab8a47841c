using Actors.Runtime;
using Actors.Streams.Delivery;
using Actors.Streams.Storage;
using Actors.Wal;
using StreamId = Actors.Runtime.StreamId;

namespace Actors.Streams;

/// <content>
/// Subscribing, resuming, rewinding and cancelling subscriptions. The public operations run in the subscribing grain's
/// turns and attach its observer here; the stream's table changes (the <c>Core</c> operations) run where the stream's
/// log is: this silo, or in a cluster the owner of the stream's partition, through the stream's agent grain.
/// </content>
internal sealed partial class StreamProvider
{
    public async Task<StreamSubscriptionHandle<T>> SubscribeAsync<T>(StreamId streamId, IAsyncObserver<T> observer, StreamSequenceToken? token)
    {
        ArgumentNullException.ThrowIfNull(observer);
        IGrainContext grain = CurrentGrain("SubscribeAsync");
        if (Implicit.IsSubscribed(grain.GrainId, streamId))
        {
            // Orleans semantics: a grain subscribing to a stream it is implicitly subscribed to attaches to that subscription.
            var handle = new SubscriptionHandle<T>(this, streamId, ImplicitSubscriptions.IdOf(grain.GrainId.Type, streamId), grain.GrainId);
            return await ResumeAsync(handle, observer, token);
        }

        var id = Guid.NewGuid();
        ExtensionOf(grain).Attach(id, ObserverSlot.For(observer));
        try
        {
            await (AgentFor(streamId) is { } agent
                ? agent.Subscribe(Name, streamId, id, grain.GrainId, token?.SequenceNumber)
                : SubscribeCoreAsync(streamId, id, grain.GrainId, token));
        }
        catch
        {
            ExtensionOf(grain).Detach(id);
            throw;
        }

        return new SubscriptionHandle<T>(this, streamId, id, grain.GrainId);
    }

    public async Task<StreamSubscriptionHandle<T>> ResumeAsync<T>(SubscriptionHandle<T> handle, IAsyncObserver<T> observer, StreamSequenceToken? token)
    {
        ArgumentNullException.ThrowIfNull(observer);
        IGrainContext grain = CurrentGrain("ResumeAsync");
        if (grain.GrainId != handle.GrainId)
        {
            throw new InvalidOperationException($"{handle} belongs to grain {handle.GrainId}; grain {grain.GrainId} cannot resume it.");
        }

        ExtensionOf(grain).Attach(handle.HandleId, ObserverSlot.For(observer));
        try
        {
            await (AgentFor(handle.StreamId) is { } agent
                ? agent.Resume(Name, handle.StreamId, handle.HandleId, grain.GrainId, token?.SequenceNumber)
                : ResumeCoreAsync(handle.StreamId, handle.HandleId, grain.GrainId, token));
        }
        catch (Exception ex) when (ex is InvalidOperationException or StreamException)
        {
            ExtensionOf(grain).Detach(handle.HandleId);
            throw;
        }

        return handle;
    }

    public async Task UnsubscribeAsync<T>(SubscriptionHandle<T> handle)
    {
        await (AgentFor(handle.StreamId) is { } agent
            ? agent.Unsubscribe(Name, handle.StreamId, handle.HandleId)
            : UnsubscribeCoreAsync(handle.StreamId, handle.HandleId));
        if (RuntimeContext.Current is { } grain && grain.GrainId == handle.GrainId)
        {
            ExtensionOf(grain).Detach(handle.HandleId);
        }
    }

    public async Task<IList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandlesAsync<T>(StreamId streamId)
    {
        IGrainContext grain = CurrentGrain("GetAllSubscriptionHandles");
        IReadOnlyList<Guid> ids = AgentFor(streamId) is { } agent
            ? await agent.GetSubscriptions(Name, streamId, grain.GrainId)
            : await SubscriptionsOfCoreAsync(streamId, grain.GrainId);
        return [.. ids.Select(id => (StreamSubscriptionHandle<T>)new SubscriptionHandle<T>(this, streamId, id, grain.GrainId))];
    }

    /// <summary>Records a new explicit subscription (where the stream's log is) and starts its delivery.</summary>
    public async Task SubscribeCoreAsync(StreamId streamId, Guid id, GrainId subscriber, StreamSequenceToken? token)
    {
        StreamState state = await GetLoadedAsync(streamId);
        long cursor = token is null ? CurrentVersion(state) : await StartCursorAsync(state, token);
        var subscription = new SubscriptionState(id, subscriber, isImplicit: false, cursor);
        lock (state.Sync)
        {
            state.Subscriptions.Add(subscription.Id, subscription);
        }

        try
        {
            await EnqueueWriteAsync(state, new TableWrite(SubscriptionRecordCodec.EncodeSubscribe(new SubscriptionEntry(subscription.Id, subscriber, false, cursor)), subscription));
        }
        catch
        {
            lock (state.Sync)
            {
                subscription.Removed = true;
                state.Subscriptions.Remove(subscription.Id);
            }

            throw;
        }

        lock (state.Sync)
        {
            StartDeliveryLocked(state, subscription);
        }
    }

    /// <summary>Restarts a subscription's delivery, rewound to <paramref name="token"/> when given.</summary>
    /// <exception cref="StreamSubscriptionNotFoundException">The subscription does not exist.</exception>
    /// <exception cref="InvalidOperationException">The subscription is another subscriber's.</exception>
    public async Task ResumeCoreAsync(StreamId streamId, Guid id, GrainId subscriber, StreamSequenceToken? token)
    {
        StreamState state = await GetLoadedAsync(streamId);
        SubscriptionState subscription;
        lock (state.Sync)
        {
            subscription = state.Subscriptions.GetValueOrDefault(id)
                ?? throw new StreamSubscriptionNotFoundException(Name, streamId, id, "it was cancelled, dropped, or never made in this provider");
        }

        if (subscription.GrainId != subscriber)
        {
            throw new InvalidOperationException($"Subscription {id} to stream {streamId} belongs to grain {subscription.GrainId}; grain {subscriber} cannot resume it.");
        }

        if (token is not null)
        {
            long cursor = await StartCursorAsync(state, token);
            var write = new TableWrite(SubscriptionRecordCodec.EncodeCursors([new KeyValuePair<Guid, long>(subscription.Id, cursor)]));
            int generation;
            lock (state.Sync)
            {
                // A delivery in flight must not move the cursor past the rewind, and an older queued cursor must not follow it.
                generation = ++subscription.Generation;
                subscription.Cursor = cursor;
                state.PendingCursors.Remove(subscription.Id);
            }

            subscription.Sink?.Withdraw(generation);
            await EnqueueWriteAsync(state, write);
        }

        lock (state.Sync)
        {
            StartDeliveryLocked(state, subscription);
        }
    }

    /// <summary>Cancels an explicit subscription (nothing when it does not exist).</summary>
    /// <exception cref="InvalidOperationException">It is an implicit subscription.</exception>
    public async Task UnsubscribeCoreAsync(StreamId streamId, Guid id)
    {
        StreamState state = await GetLoadedAsync(streamId);
        lock (state.Sync)
        {
            if (!state.Subscriptions.TryGetValue(id, out SubscriptionState? subscription))
            {
                return;
            }

            if (subscription.IsImplicit)
            {
                throw new InvalidOperationException($"Subscription {id} to stream {streamId} is an implicit subscription ([ImplicitStreamSubscription] on the grain class); it cannot be cancelled.");
            }

            subscription.Removed = true;
            state.Subscriptions.Remove(id);
            state.PendingCursors.Remove(id);
        }

        await EnqueueWriteAsync(state, new TableWrite(SubscriptionRecordCodec.EncodeUnsubscribe(id)));
    }

    /// <summary>The explicit subscriptions of <paramref name="subscriber"/> to the stream.</summary>
    public async Task<IReadOnlyList<Guid>> SubscriptionsOfCoreAsync(StreamId streamId, GrainId subscriber)
    {
        StreamState state = await GetLoadedAsync(streamId);
        lock (state.Sync)
        {
            return [.. state.Subscriptions.Values.Where(s => s.GrainId == subscriber && !s.IsImplicit).Select(s => s.Id)];
        }
    }

    private static long CurrentVersion(StreamState state)
    {
        lock (state.Sync)
        {
            return state.QueueVersion;
        }
    }

    /// <summary>The cursor that starts delivery at <paramref name="token"/> (inclusive), checked against what the stream retains.</summary>
    /// <exception cref="StreamRewindException">The token is past the stream's end or no longer retained.</exception>
    private async Task<long> StartCursorAsync(StreamState state, StreamSequenceToken token)
    {
        long latest = CurrentVersion(state);
        long first = Math.Max(1, token.SequenceNumber);
        if (first > latest + 1)
        {
            throw new StreamRewindException(Name, state.StreamId, token, 1, latest);
        }

        if (first <= latest)
        {
            try
            {
                IEventLog log = await _logSource(CancellationToken.None);
                await log.ReadEventsAsync(state.QueueLogId, first, first);
            }
            catch (EventsReclaimedException ex)
            {
                throw new StreamRewindException(Name, state.StreamId, token, await OldestRetainedAsync(state, ex.OldestAvailableVersion), latest);
            }
        }

        return first - 1;
    }
}
