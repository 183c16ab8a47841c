using Actors.Streams.Client;

namespace Actors.Streams.Delivery;

/// <summary>
/// Where the delivery loop of a gateway client's subscription hands its batches: the loop offers one batch at a time and
/// waits for the client's acknowledgement; the client's pulls take the offer and bring the acknowledgement of the one
/// before. Lives on the stream's owner, in memory, as long as the subscription is loaded there.
/// </summary>
/// <remarks>
/// Thread-safe. At most one offer is open (the loop delivers one batch at a time) and at most one pull waits (a newer
/// pull of the same subscription releases the older one empty). An acknowledgement of an offer that is no longer open
/// (it timed out and the events were offered again) is ignored: the client skips what it already handled.
/// </remarks>
internal sealed class ClientSink
{
    private readonly Lock _sync = new();
    private Offer? _offer;
    private TaskCompletionSource<ClientStreamBatch>? _waitingPull;
    private long _lastOfferId;
    private long _lastContact;
    private int _generation;

    /// <summary>
    /// How long no client pulled from this subscription, by <paramref name="time"/>'s clock; the first call without any
    /// contact yet starts the count (after a load, the bound starts when delivery first misses the client).
    /// </summary>
    public TimeSpan SilentFor(TimeProvider time)
    {
        lock (_sync)
        {
            if (_lastContact == 0)
            {
                _lastContact = time.GetTimestamp();
            }

            return time.GetElapsedTime(_lastContact);
        }
    }

    /// <summary>
    /// Offers a batch (made by <paramref name="makeBatch"/> from the offer id) and waits for its acknowledgement; null when
    /// none came within <paramref name="timeout"/> (the client is gone, disconnected, or too slow).
    /// </summary>
    /// <remarks>
    /// A batch read before a rewind (<paramref name="generation"/> older than the latest <see cref="Withdraw"/>) is not
    /// offered: null at once.
    /// </remarks>
    public async Task<ClientStreamAck?> OfferAsync(int generation, Func<long, ClientStreamBatch> makeBatch, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Offer offer;
        TaskCompletionSource<ClientStreamBatch>? pull;
        lock (_sync)
        {
            if (generation < _generation)
            {
                return null;
            }

            offer = new Offer(makeBatch(++_lastOfferId), generation);
            _offer = offer;
            pull = _waitingPull;
            _waitingPull = null;
        }

        pull?.TrySetResult(offer.Batch);
        try
        {
            return await offer.Acknowledged.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_sync)
            {
                if (_offer == offer)
                {
                    _offer = null;
                }
            }
        }
    }

    /// <summary>
    /// A client's pull: applies <paramref name="ack"/> to the open offer it names, then returns the open offer (a new one,
    /// or one the client took before without acknowledging it: after a lost response) or waits up to
    /// <paramref name="wait"/> for the next, returning <see cref="ClientStreamBatch.Empty"/> when none comes.
    /// </summary>
    public async Task<ClientStreamBatch> PullAsync(ClientStreamAck? ack, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        TaskCompletionSource<ClientStreamBatch> mine;
        TaskCompletionSource<ClientStreamBatch>? replaced;
        lock (_sync)
        {
            _lastContact = time.GetTimestamp();
            if (ack is not null && _offer is { } acknowledged && (acknowledged.Batch.OfferId == ack.OfferId || ack.OfferId == ClientStreamAck.UnreadableOffer))
            {
                _offer = null;
                acknowledged.Acknowledged.TrySetResult(ack);
            }

            if (_offer is { } open)
            {
                return open.Batch;
            }

            replaced = _waitingPull;
            mine = new TaskCompletionSource<ClientStreamBatch>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waitingPull = mine;
        }

        replaced?.TrySetResult(ClientStreamBatch.Empty);
        try
        {
            return await mine.Task.WaitAsync(wait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            lock (_sync)
            {
                if (_waitingPull == mine)
                {
                    _waitingPull = null;
                }

                _lastContact = time.GetTimestamp();
            }

            // An offer handed to this pull just as it timed out stays open: the client's next pull takes it.
            return ClientStreamBatch.Empty;
        }
    }

    /// <summary>
    /// The subscription was rewound to <paramref name="generation"/>: the open offer, and any later offer of an earlier
    /// generation, is withdrawn (its delivery loop sees the rewind and reads again from the new cursor), so the client
    /// never takes events from before the rewind.
    /// </summary>
    public void Withdraw(int generation)
    {
        Offer? withdrawn = null;
        lock (_sync)
        {
            _generation = Math.Max(_generation, generation);
            if (_offer is { } open && open.Generation < _generation)
            {
                withdrawn = open;
                _offer = null;
            }
        }

        withdrawn?.Acknowledged.TrySetResult(null);
    }

    /// <summary>Releases a waiting pull empty (the stream leaves this silo; the client's next pull finds the new owner).</summary>
    public void Release()
    {
        TaskCompletionSource<ClientStreamBatch>? pull;
        lock (_sync)
        {
            pull = _waitingPull;
            _waitingPull = null;
        }

        pull?.TrySetResult(ClientStreamBatch.Empty);
    }

    private sealed class Offer(ClientStreamBatch batch, int generation)
    {
        public ClientStreamBatch Batch { get; } = batch;

        public int Generation { get; } = generation;

        /// <summary>The client's acknowledgement; null when the offer was withdrawn.</summary>
        public TaskCompletionSource<ClientStreamAck?> Acknowledged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
