using System.Runtime.CompilerServices;

namespace Actors.Wal.Reading;

/// <summary>
/// <see cref="IEventLog.ReadStreamEventsAsync"/> through pages of <see cref="IEventLog.ReadEventsAsync"/>: the default for
/// logs that wrap others, and the in-memory log's read (pages of one event there, so an erase is seen at once).
/// </summary>
internal static class EventPages
{
    /// <summary>The page size of the default implementation.</summary>
    public const int DefaultPageSize = 256;

    /// <summary>Validates the arguments at the call, then reads lazily.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromVersion"/> is below 1.</exception>
    /// <exception cref="InvalidStreamIdException">The stream id breaks the rules.</exception>
    public static IAsyncEnumerable<StoredEvent> Read(IEventLog log, string streamId, long fromVersion, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        StreamId.Validate(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        return ReadPagesAsync(log, streamId, fromVersion, pageSize, cancellationToken);
    }

    private static async IAsyncEnumerable<StoredEvent> ReadPagesAsync(
        IEventLog log, string streamId, long fromVersion, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long to = log.GetStreamInfo(streamId).Version;
        long next = fromVersion;
        bool yielded = false;
        while (next <= to)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long pageEnd = to - next < pageSize ? to : next + pageSize - 1;
            var page = await log.ReadEventsAsync(streamId, next, pageEnd, cancellationToken).ConfigureAwait(false);
            foreach (var stored in page)
            {
                if (stored.Version < next)
                {
                    continue;
                }

                if (stored.Version != next)
                {
                    // Before the first event a page may start above the version asked for (a deleted incarnation's events
                    // are left out, as ReadEventsAsync does); once events were handed out, a jump means versions were lost.
                    next = yielded ? throw new EventsReclaimedException(streamId, next, stored.Version) : stored.Version;
                }

                cancellationToken.ThrowIfCancellationRequested();
                yielded = true;
                next++;
                yield return stored;
            }

            if (next <= pageEnd)
            {
                next = yielded ? throw new EventsReclaimedException(streamId, next, pageEnd + 1) : pageEnd + 1;
            }
        }
    }
}
