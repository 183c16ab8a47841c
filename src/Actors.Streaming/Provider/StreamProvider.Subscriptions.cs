using Actors.Runtime;
using Actors.Streams.Delivery;
using Actors.Streams.Storage;
using Actors.Wal;
using StreamId = Actors.Runtime.StreamId;

namespace Actors.Streams;

/// <content>Subscribing, resuming, rewinding and cancelling subscriptions (always from the subscribing grain's turns).</content>
internal sealed partial class StreamProvider
{
    public async Task<StreamSubscriptionHandle<T>> SubscribeAsync<T>(StreamId streamId, IAsyncObserver<T> observer, StreamSequenceToken? token)
    {
        ArgumentNullException.ThrowIfNull(observer);
        IGrainContext grain = CurrentGrain("SubscribeAsync");
        StreamState state = await GetLoadedAsync(streamId);
        if (Implicit.IsSubscribed(grain.GrainId, streamId))
        {
            // Orleans semantics: a grain subscribing to a stream it is implicitly subscribed to attaches to that subscription.
            var handle = new SubscriptionHandle<T>(this, streamId, ImplicitSubscriptions.IdOf(grain.GrainId.Type, streamId), grain.GrainId);
            return await ResumeAsync(handle, observer, token);
        }

        long cursor = token is null ? CurrentVersion(state) : await StartCursorAsync(state, token);
        var subscription = new SubscriptionState(Guid.NewGuid(), grain.GrainId, isImplicit: false, cursor);
        ExtensionOf(grain).Attach(subscription.Id, ObserverSlot.For(observer));
        lock (state.Sync)
        {
            state.Subscriptions.Add(subscription.Id, subscription);
        }

        try
        {
            await EnqueueWriteAsync(state, new TableWrite(SubscriptionRecordCodec.EncodeSubscribe(new SubscriptionEntry(subscription.Id, grain.GrainId, false, cursor)), subscription));
        }
        catch
        {
            lock (state.Sync)
            {
                subscription.Removed = true;
                state.Subscriptions.Remove(subscription.Id);
            }

            ExtensionOf(grain).Detach(subscription.Id);
            throw;
        }

        lock (state.Sync)
        {
            StartDeliveryLocked(state, subscription);
        }

        return new SubscriptionHandle<T>(this, streamId, subscription.Id, grain.GrainId);
    }

    public async Task<StreamSubscriptionHandle<T>> ResumeAsync<T>(SubscriptionHandle<T> handle, IAsyncObserver<T> observer, StreamSequenceToken? token)
    {
        ArgumentNullException.ThrowIfNull(observer);
        IGrainContext grain = CurrentGrain("ResumeAsync");
        if (grain.GrainId != handle.GrainId)
        {
            throw new InvalidOperationException($"{handle} belongs to grain {handle.GrainId}; grain {grain.GrainId} cannot resume it.");
        }

        StreamState state = await GetLoadedAsync(handle.StreamId);
        SubscriptionState subscription;
        lock (state.Sync)
        {
            subscription = state.Subscriptions.GetValueOrDefault(handle.HandleId)
                ?? throw new InvalidOperationException($"{handle} does not exist (it was cancelled, or never made in this provider).");
        }

        ExtensionOf(grain).Attach(subscription.Id, ObserverSlot.For(observer));
        if (token is not null)
        {
            long cursor = await StartCursorAsync(state, token);
            var write = new TableWrite(SubscriptionRecordCodec.EncodeCursors([new KeyValuePair<Guid, long>(subscription.Id, cursor)]));
            lock (state.Sync)
            {
                // A delivery in flight must not move the cursor past the rewind, and an older queued cursor must not follow it.
                subscription.Generation++;
                subscription.Cursor = cursor;
                state.PendingCursors.Remove(subscription.Id);
            }

            await EnqueueWriteAsync(state, write);
        }

        lock (state.Sync)
        {
            StartDeliveryLocked(state, subscription);
        }

        return handle;
    }

    public async Task UnsubscribeAsync<T>(SubscriptionHandle<T> handle)
    {
        StreamState state = await GetLoadedAsync(handle.StreamId);
        lock (state.Sync)
        {
            if (!state.Subscriptions.TryGetValue(handle.HandleId, out SubscriptionState? subscription))
            {
                return;
            }

            if (subscription.IsImplicit)
            {
                throw new InvalidOperationException($"{handle} is an implicit subscription ([ImplicitStreamSubscription] on the grain class); it cannot be cancelled.");
            }

            subscription.Removed = true;
            state.Subscriptions.Remove(handle.HandleId);
            state.PendingCursors.Remove(handle.HandleId);
        }

        if (RuntimeContext.Current is { } grain && grain.GrainId == handle.GrainId)
        {
            ExtensionOf(grain).Detach(handle.HandleId);
        }

        await EnqueueWriteAsync(state, new TableWrite(SubscriptionRecordCodec.EncodeUnsubscribe(handle.HandleId)));
    }

    public async Task<IList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandlesAsync<T>(StreamId streamId)
    {
        IGrainContext grain = CurrentGrain("GetAllSubscriptionHandles");
        StreamState state = await GetLoadedAsync(streamId);
        lock (state.Sync)
        {
            return [.. state.Subscriptions.Values
                .Where(s => s.GrainId == grain.GrainId && !s.IsImplicit)
                .Select(s => (StreamSubscriptionHandle<T>)new SubscriptionHandle<T>(this, streamId, s.Id, s.GrainId))];
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
                throw new StreamRewindException(Name, state.StreamId, token, ex.OldestAvailableVersion, latest);
            }
        }

        return first - 1;
    }
}
