namespace Actors.Wal;

/// <summary>
/// The complete history of one stream of an <see cref="InMemoryEventLog"/>: every event, checkpoint and tombstone
/// ever written, each list in log order. Not thread-safe: the owning log serializes access.
/// </summary>
/// <remarks>
/// <para>
/// Invariants the reads rely on (each list is sorted, so reads use binary search):
/// event <c>i</c> has version <c>i + 1</c> (a tombstone does not consume a version); checkpoint versions never
/// decrease; tombstone versions never decrease; timestamps never decrease across all three lists because the log
/// clamps its clock; a checkpoint written after a tombstone has a version above the tombstone's version.
/// </para>
/// <para>
/// Nothing is ever reclaimed, so point-in-time reads and <see cref="ReadEvents"/> see the whole history.
/// </para>
/// </remarks>
internal sealed class InMemoryStream
{
    private readonly List<StoredEvent> _events = [];
    private readonly List<StoredCheckpoint> _checkpoints = [];
    private readonly List<InMemoryTombstone> _tombstones = [];
    private long _erasedTo;

    /// <summary>The stream's highest version (never goes back, even after deletion).</summary>
    public long Version => _events.Count;

    /// <summary>True when the newest record of the stream is a tombstone.</summary>
    public bool IsDeleted => _tombstones.Count > 0 && _tombstones[^1].Version == Version;

    /// <summary>The latest checkpoint written after the latest tombstone, or null.</summary>
    public StoredCheckpoint? LiveCheckpoint =>
        _checkpoints.Count > 0 && (_tombstones.Count == 0 || _checkpoints[^1].Lsn > _tombstones[^1].Lsn)
            ? _checkpoints[^1]
            : null;

    /// <summary>The smallest version a new checkpoint may cover.</summary>
    public long MinimumCheckpointVersion
    {
        get
        {
            long minimum = 1;
            if (_tombstones.Count > 0)
            {
                minimum = Math.Max(minimum, _tombstones[^1].Version + 1);
            }

            if (LiveCheckpoint is { } checkpoint)
            {
                minimum = Math.Max(minimum, checkpoint.Version);
            }

            return minimum;
        }
    }

    /// <summary>Payload bytes still needed to rebuild the stream (the live checkpoint plus the events after it).</summary>
    public long LiveBytes { get; private set; }

    /// <summary>What the index would say about the stream.</summary>
    public StreamInfo Info => new(Version, LiveCheckpoint?.Version ?? 0, IsDeleted);

    /// <summary>Appends an event; its version must be <see cref="Version"/> + 1.</summary>
    public void Add(StoredEvent storedEvent)
    {
        _events.Add(storedEvent);
        LiveBytes += storedEvent.Payload.Length;
    }

    /// <summary>Adds a checkpoint the caller validated against <see cref="MinimumCheckpointVersion"/>.</summary>
    public void Add(StoredCheckpoint checkpoint)
    {
        _checkpoints.Add(checkpoint);
        long live = checkpoint.State.Length;
        for (int i = (int)checkpoint.Version; i < _events.Count; i++)
        {
            live += _events[i].Payload.Length;
        }

        LiveBytes = live;
    }

    /// <summary>Adds a tombstone at the current version.</summary>
    public void Add(InMemoryTombstone tombstone)
    {
        _tombstones.Add(tombstone);
        LiveBytes = 0;
    }

    /// <summary>Events up to this version were erased (their payloads are forgotten; reads never return them).</summary>
    public long ErasedTo => _erasedTo;

    /// <summary>Erases the events up to <paramref name="toVersion"/> (at most <see cref="Version"/>); returns how many were still stored.</summary>
    public long EraseTo(long toVersion)
    {
        long erased = Math.Max(0, toVersion - _erasedTo);
        for (long v = _erasedTo + 1; v <= toVersion; v++)
        {
            var stored = _events[(int)(v - 1)];
            _events[(int)(v - 1)] = stored with { Payload = ReadOnlyMemory<byte>.Empty };
        }

        _erasedTo = Math.Max(_erasedTo, toVersion);
        return erased;
    }

    /// <summary>
    /// Deletes the checkpoints <paramref name="criteria"/> selects; returns their versions, newest first. Null (nothing
    /// deleted) with <paramref name="rejection"/> set when the state could not be rebuilt without the live checkpoint: the
    /// events between the checkpoint that would take its place (or the stream's start) and it were erased.
    /// </summary>
    public List<long>? DeleteCheckpoints(CheckpointSelectionCriteria criteria, out string? rejection)
    {
        rejection = null;
        var selected = _checkpoints.Where(c => criteria.Matches(c.Version, c.Timestamp.UtcTicks)).ToList();
        if (LiveCheckpoint is { } live && selected.Contains(live))
        {
            long floor = _tombstones.Count > 0 ? _tombstones[^1].Version : 0;
            var replacement = _checkpoints.LastOrDefault(c => !selected.Contains(c) && (_tombstones.Count == 0 || c.Lsn > _tombstones[^1].Lsn));
            long from = Math.Max(floor, replacement?.Version ?? 0) + 1;
            if (_erasedTo >= from)
            {
                rejection = $"the stream's state could not be rebuilt without the checkpoint at version {live.Version}: "
                    + $"the events {from}..{Math.Min(_erasedTo, live.Version)} it covers were erased; write a newer checkpoint first and delete this one then";
                return null;
            }
        }

        _checkpoints.RemoveAll(selected.Contains);
        if (LiveCheckpoint is { } kept)
        {
            long liveBytes = kept.State.Length;
            for (int i = (int)kept.Version; i < _events.Count; i++)
            {
                liveBytes += _events[i].Payload.Length;
            }

            LiveBytes = liveBytes;
        }
        else if (!IsDeleted)
        {
            LiveBytes = _events.Sum(e => (long)e.Payload.Length);
        }

        selected.Reverse();
        return [.. selected.Select(c => c.Version)];
    }

    /// <summary>Reads the stream as of <paramref name="bound"/>; see <see cref="IEventLog.ReadStreamAsync"/>.</summary>
    public StreamReadResult Read(string streamId, ReadBound bound)
    {
        int eventCount;
        int tombstoneIndex;
        int checkpointIndex;
        if (bound.ToVersion is { } toVersion)
        {
            eventCount = (int)Math.Min(toVersion, Version);
            tombstoneIndex = LastIndexAtOrBelow(_tombstones, static t => t.Version, eventCount);
            checkpointIndex = LastIndexAtOrBelow(_checkpoints, static c => c.Version, eventCount);
        }
        else if (bound.AsOf is { } asOf)
        {
            long ticks = asOf.UtcTicks;
            eventCount = LastIndexAtOrBelow(_events, static e => e.Timestamp.UtcTicks, ticks) + 1;
            tombstoneIndex = LastIndexAtOrBelow(_tombstones, static t => t.Timestamp.UtcTicks, ticks);
            checkpointIndex = LastIndexAtOrBelow(_checkpoints, static c => c.Timestamp.UtcTicks, ticks);
        }
        else
        {
            eventCount = _events.Count;
            tombstoneIndex = _tombstones.Count - 1;
            checkpointIndex = _checkpoints.Count - 1;
        }

        long deletedAtVersion = -1;
        long deletedAtLsn = 0;
        if (tombstoneIndex >= 0)
        {
            deletedAtVersion = _tombstones[tombstoneIndex].Version;
            deletedAtLsn = _tombstones[tombstoneIndex].Lsn;
        }

        if (deletedAtVersion == eventCount)
        {
            return new StreamReadResult(streamId, null, [], eventCount, IsDeleted: true);
        }

        // A checkpoint older than the tombstone in force belongs to the deleted incarnation of the stream.
        StoredCheckpoint? checkpoint = checkpointIndex >= 0 && _checkpoints[checkpointIndex].Lsn > deletedAtLsn
            ? _checkpoints[checkpointIndex]
            : null;
        long start = Math.Max(checkpoint?.Version ?? 0, Math.Max(deletedAtVersion, 0));
        if (!bound.IsLatest && _erasedTo > start && eventCount > start)
        {
            // The state as of the bound needs erased events (no checkpoint at or below the bound covers them): a read that
            // left them out would hand back a partial history as a whole one.
            throw new EventsReclaimedException(streamId, start + 1, _erasedTo + 1);
        }

        long after = Math.Min(eventCount, Math.Max(_erasedTo, start));
        var events = _events.GetRange((int)after, eventCount - (int)after);
        return new StreamReadResult(streamId, checkpoint, events, eventCount, IsDeleted: false);
    }

    /// <summary>The stored events with versions in [<paramref name="fromVersion"/>, <paramref name="toVersion"/>], clamped to the stream.</summary>
    /// <exception cref="EventsReclaimedException">Some of the versions were erased.</exception>
    public IReadOnlyList<StoredEvent> ReadEvents(string streamId, long fromVersion, long toVersion)
    {
        long last = Math.Min(toVersion, Version);
        if (fromVersion > last)
        {
            return [];
        }

        if (fromVersion <= _erasedTo)
        {
            throw new EventsReclaimedException(streamId, fromVersion, _erasedTo + 1);
        }

        return _events.GetRange((int)(fromVersion - 1), (int)(last - fromVersion + 1));
    }

    /// <summary>The index of the last element whose key is at most <paramref name="bound"/> (keys ascending), or -1.</summary>
    private static int LastIndexAtOrBelow<T>(List<T> items, Func<T, long> key, long bound)
    {
        int low = 0;
        int high = items.Count - 1;
        int found = -1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (key(items[middle]) <= bound)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}
