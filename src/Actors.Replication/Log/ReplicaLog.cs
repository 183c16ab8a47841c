namespace Actors.Replication.Log;

/// <summary>
/// A replica's view of its log: entries at offsets 1..<see cref="EndOffset"/>, each with the epoch that appended it, and
/// two positions: written (<see cref="EndOffset"/>) and durable (<see cref="DurableOffset"/>).
/// </summary>
/// <remarks>
/// Epochs never decrease along a log, so the entries of one epoch form one range and "the end of epoch e" is a binary
/// search. Truncation removes a tail and lowers the durable position with it; a sync that was requested before a
/// truncation covers only what survived it. Not thread-safe: owned by one <see cref="Protocol.Replica"/>.
/// </remarks>
public sealed class ReplicaLog
{
    private readonly List<LogEntry> _entries;
    private readonly List<PendingSync> _pendingSyncs = [];
    private bool _truncatedSinceSyncRequest;

    /// <summary>Creates a log holding <paramref name="durableEntries"/> (what a disk held at start), all durable.</summary>
    public ReplicaLog(IEnumerable<LogEntry> durableEntries)
    {
        ArgumentNullException.ThrowIfNull(durableEntries);
        _entries = [.. durableEntries];
        for (var i = 1; i < _entries.Count; i++)
        {
            if (_entries[i].Epoch < _entries[i - 1].Epoch)
            {
                throw new ArgumentException(
                    $"Epochs decrease at offset {i + 1}: {_entries[i - 1].Epoch} then {_entries[i].Epoch}.", nameof(durableEntries));
            }
        }

        DurableOffset = _entries.Count;
    }

    /// <summary>The offset of the last entry (0 when empty): the written position.</summary>
    public long EndOffset => _entries.Count;

    /// <summary>Entries 1..this are on disk and synced, as this log holds them now.</summary>
    public long DurableOffset { get; private set; }

    /// <summary>The epoch of the last entry, 0 when empty.</summary>
    public long LastEpoch => _entries.Count == 0 ? 0 : _entries[^1].Epoch;

    /// <summary>The entry at <paramref name="offset"/> (1-based).</summary>
    public LogEntry this[long offset] => _entries[checked((int)offset - 1)];

    /// <summary>The epoch of the entry at <paramref name="offset"/>; 0 for offset 0; -1 beyond the end.</summary>
    public long EpochAt(long offset) => offset == 0 ? 0 : offset > EndOffset ? -1 : _entries[(int)offset - 1].Epoch;

    /// <summary>The number of leading entries whose epoch is at most <paramref name="epoch"/> (the end offset of that epoch here).</summary>
    public long EndOffsetOfEpoch(long epoch)
    {
        int low = 0, high = _entries.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_entries[middle].Epoch <= epoch)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Appends <paramref name="entry"/> at <see cref="EndOffset"/> + 1 and returns its offset.</summary>
    public long Append(LogEntry entry)
    {
        if (entry.Epoch < LastEpoch)
        {
            throw new ArgumentException($"Entry epoch {entry.Epoch} is below the last epoch {LastEpoch}.", nameof(entry));
        }

        _entries.Add(entry);
        return _entries.Count;
    }

    /// <summary>Removes every entry after <paramref name="length"/>; the durable position and pending syncs follow.</summary>
    public void TruncateTo(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length >= EndOffset)
        {
            return;
        }

        _entries.RemoveRange((int)length, _entries.Count - (int)length);
        _truncatedSinceSyncRequest = true;
        DurableOffset = Math.Min(DurableOffset, length);
        for (var i = 0; i < _pendingSyncs.Count; i++)
        {
            _pendingSyncs[i] = _pendingSyncs[i] with { CoversUpTo = Math.Min(_pendingSyncs[i].CoversUpTo, length) };
        }
    }

    /// <summary>Records that sync <paramref name="token"/> was requested now: when it completes, entries up to the current end are durable.</summary>
    public void SyncRequested(long token)
    {
        _pendingSyncs.Add(new PendingSync(token, EndOffset));
        _truncatedSinceSyncRequest = false;
    }

    /// <summary>Whether something written (an entry or a truncation) is not covered by a completed or requested sync.</summary>
    public bool NeedsSync => EndOffset > DurableOffset || _truncatedSinceSyncRequest;

    /// <summary>Whether a requested sync has not completed yet.</summary>
    public bool HasPendingSync => _pendingSyncs.Count > 0;

    /// <summary>Applies the completion of sync <paramref name="token"/>; false when no such sync was pending.</summary>
    public bool SyncCompleted(long token)
    {
        var index = _pendingSyncs.FindIndex(s => s.Token == token);
        if (index < 0)
        {
            return false;
        }

        DurableOffset = Math.Max(DurableOffset, _pendingSyncs[index].CoversUpTo);
        _pendingSyncs.RemoveAt(index);
        return true;
    }

    /// <summary>Copies entries <paramref name="fromOffset"/>.. (at most <paramref name="maxCount"/>).</summary>
    public IReadOnlyList<LogEntry> Read(long fromOffset, int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromOffset, 1);
        var start = (int)fromOffset - 1;
        var count = Math.Max(0, Math.Min(maxCount, _entries.Count - start));
        return count == 0 ? [] : _entries.GetRange(start, count);
    }

    private readonly record struct PendingSync(long Token, long CoversUpTo);
}
