using Actors.Wal.Segments;

namespace Actors.Wal.ChangeFeed;

/// <summary>
/// The retained change-feed readers of one log: which segments they hold back from space management, and the bound
/// that drops a reader holding too much. Thread-safe; the maintenance thread asks <see cref="HeldFloor"/> once per pass.
/// </summary>
internal sealed class ChangeFeedRetentions(string directory, long maxRetainedBytes)
{
    private readonly Lock _lock = new();
    private readonly List<ChangeFeedRetention> _readers = [];
    private long _dropped;
    private long _heldBytes;

    /// <summary>Readers dropped for passing the bound since the log opened.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The sealed-segment bytes the readers held back at the latest pass.</summary>
    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    /// <summary>Registers a reader at <paramref name="position"/>.</summary>
    public ChangeFeedRetention Add(string readerName, ChangeFeedPosition position)
    {
        var retention = new ChangeFeedRetention(readerName, position, directory, Remove);
        lock (_lock)
        {
            _readers.Add(retention);
        }

        return retention;
    }

    /// <summary>
    /// Drops every reader holding more than the bound of <paramref name="sealedSegments"/> (its floor segment and every
    /// later sealed one), then returns the lowest segment id the others hold, or null when none holds anything.
    /// </summary>
    /// <param name="sealedSegments">The log's sealed segments.</param>
    /// <param name="onDropped">Told of each reader dropped now (to log it).</param>
    public uint? HeldFloor(IReadOnlyList<Segment> sealedSegments, Action<ChangeFeedReaderDroppedException> onDropped)
    {
        ChangeFeedRetention[] readers;
        lock (_lock)
        {
            readers = [.. _readers];
        }

        uint? floor = null;
        long held = 0;
        foreach (ChangeFeedRetention reader in readers)
        {
            if (reader.SegmentFloor is not { } segment)
            {
                continue;
            }

            long bytes = sealedSegments.Where(s => s.Id >= segment).Sum(s => s.WrittenOffset);
            if (bytes > maxRetainedBytes)
            {
                Interlocked.Increment(ref _dropped);
                onDropped(reader.Drop(bytes, maxRetainedBytes));
                continue;
            }

            held = Math.Max(held, bytes);
            floor = floor is { } lowest ? Math.Min(lowest, segment) : segment;
        }

        Interlocked.Exchange(ref _heldBytes, held);
        return floor;
    }

    private void Remove(ChangeFeedRetention retention)
    {
        lock (_lock)
        {
            _readers.Remove(retention);
        }
    }
}
