using Actors.Wal;

namespace Actors.Streams;

/// <summary>
/// Reads a subscription's batches from its stream's queue through one forward read of the log
/// (<see cref="IEventLog.ReadStreamEventsAsync"/>) kept open from batch to batch, so a subscriber far behind catches up
/// in one pass over the queue's records; a read of each batch by <see cref="IEventLog.ReadEventsAsync"/> walks the queue's
/// chain back from its newest record every time (time quadratic in how far behind the subscriber is).
/// </summary>
/// <remarks>
/// Ownership: the subscription's delivery loop, one call at a time. The open read holds the positions of the queue
/// records it has still to read (12 bytes a record; the engine bounds one plan to 1.5 MiB) and the last record it read;
/// never more than one batch of events. A subscriber less than <see cref="ForwardReadBacklog"/> events behind reads its
/// batch with <see cref="IEventLog.ReadEventsAsync"/> as before (the common, caught-up case). A batch that does not start where the open read is (a retry after a failure, a
/// rewind, a passed event) opens a new read there; the open read ends at the queue's version when it opened, and the
/// next batch opens a new one.
/// </remarks>
internal sealed class QueueReader
{
    /// <summary>The backlog (events from the batch's start to the queue's version) from which a forward read is opened.</summary>
    public const int ForwardReadBacklog = 1024;

    private IEventLog? _log;
    private IAsyncEnumerator<StoredEvent>? _open;
    private long _next;

    /// <summary>
    /// The queue's events with versions in [<paramref name="from"/>, <paramref name="to"/>] (fewer when the log holds
    /// fewer), in order. Throws what the log's read throws (an <see cref="EventsReclaimedException"/> naming the first
    /// version missing); the open read is then dropped.
    /// </summary>
    /// <param name="log">The log holding the queue.</param>
    /// <param name="queueLogId">The queue's log stream.</param>
    /// <param name="from">The first version of the batch.</param>
    /// <param name="to">The last version of the batch.</param>
    /// <param name="queueVersion">The queue's version: with fewer than <see cref="ForwardReadBacklog"/> events from
    /// <paramref name="from"/> on and no open read there, the batch is one <see cref="IEventLog.ReadEventsAsync"/> (a short
    /// walk, read in large windows, cheaper than a forward read's two reads per record).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(IEventLog log, string queueLogId, long from, long to, long queueVersion, CancellationToken cancellationToken)
    {
        bool continues = _open is not null && ReferenceEquals(_log, log) && _next == from;
        if (!continues && queueVersion - from < ForwardReadBacklog)
        {
            await CloseAsync();
            return await log.ReadEventsAsync(queueLogId, from, to, cancellationToken);
        }

        var events = new List<StoredEvent>((int)Math.Min(to - from + 1, 1024));
        try
        {
            bool fresh = false;
            if (!continues)
            {
                await CloseAsync();
                Open(log, queueLogId, from, cancellationToken);
                fresh = true;
            }

            while (_next <= to)
            {
                if (!await _open!.MoveNextAsync())
                {
                    // The open read reached the queue's version when it opened: what follows was appended since.
                    await CloseAsync();
                    if (fresh)
                    {
                        break;
                    }

                    Open(log, queueLogId, _next, cancellationToken);
                    fresh = true;
                    continue;
                }

                StoredEvent stored = _open.Current;
                if (stored.Version > to)
                {
                    await CloseAsync(); // not this batch's (the read started above from): the next batch reads it again
                    break;
                }

                events.Add(stored);
                _next = stored.Version + 1;
            }

            return events;
        }
        catch
        {
            await CloseAsync();
            throw;
        }
    }

    /// <summary>Drops the open read (it holds no file or lock: the log pins a segment only while it reads).</summary>
    public void Reset()
    {
        _open = null;
        _log = null;
    }

    private void Open(IEventLog log, string queueLogId, long from, CancellationToken cancellationToken)
    {
        _open = log.ReadStreamEventsAsync(queueLogId, from, cancellationToken).GetAsyncEnumerator(cancellationToken);
        _log = log;
        _next = from;
    }

    private async ValueTask CloseAsync()
    {
        if (_open is { } open)
        {
            Reset();
            try
            {
                await open.DisposeAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Disposing a read that failed or was cancelled: nothing is held, nothing to report twice.
            }
        }
    }
}
