namespace Actors.Replication.Log;

/// <summary>
/// A replica's view of its log: entries at offsets <see cref="StartOffset"/> + 1..<see cref="EndOffset"/>, each with the
/// epoch that appended it, and two positions: written (<see cref="EndOffset"/>) and durable (<see cref="DurableOffset"/>).
/// Entries up to <see cref="StartOffset"/> are replaced by a checkpoint (0 when the log starts at offset 1); only the
/// epoch of the entry at the start is kept (<see cref="StartEpoch"/>).
/// </summary>
/// <remarks>
/// Entries at or below the start are committed (only committed offsets are checkpointed), so they equal every later
/// leader's; their epochs are not known here and no operation reads, truncates or compares them.
/// Epochs never decrease along a log, so the entries of one epoch form one range and "the end of epoch e" is a binary
/// search. Truncation removes a tail and lowers the durable position with it; a sync that was requested before a
/// truncation covers only what survived it. Not thread-safe: owned by one <see cref="Protocol.Replica"/>.
/// </remarks>
public sealed class ReplicaLog
{
    private readonly List<LogEntry> _entries;
    private readonly List<PendingSync> _pendingSyncs = [];
    private bool _truncatedSinceSyncRequest;

    /// <summary>Creates a log holding <paramref name="durableEntries"/> at offsets 1.. (what a disk held at start), all durable.</summary>
    public ReplicaLog(IEnumerable<LogEntry> durableEntries)
        : this(0, 0, durableEntries)
    {
    }

    /// <summary>
    /// Creates a log that starts after a checkpoint at <paramref name="startOffset"/> (epoch <paramref name="startEpoch"/>)
    /// and holds <paramref name="durableEntries"/> at offsets <paramref name="startOffset"/> + 1.., all durable.
    /// </summary>
    public ReplicaLog(long startOffset, long startEpoch, IEnumerable<LogEntry> durableEntries)
    {
        ArgumentNullException.ThrowIfNull(durableEntries);
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(startEpoch);
        if (startOffset == 0 && startEpoch != 0)
        {
            throw new ArgumentException($"A log starting at offset 1 has start epoch 0, not {startEpoch}.", nameof(startEpoch));
        }

        StartOffset = startOffset;
        StartEpoch = startEpoch;
        _entries = [.. durableEntries];
        for (var i = 0; i < _entries.Count; i++)
        {
            var previous = i == 0 ? startEpoch : _entries[i - 1].Epoch;
            if (_entries[i].Epoch < previous)
            {
                throw new ArgumentException(
                    $"Epochs decrease at offset {startOffset + i + 1}: {previous} then {_entries[i].Epoch}.", nameof(durableEntries));
            }
        }

        DurableOffset = EndOffset;
    }

    /// <summary>Entries up to here are deleted (replaced by a checkpoint); 0 when the log starts at offset 1.</summary>
    public long StartOffset { get; private set; }

    /// <summary>The epoch of the entry at <see cref="StartOffset"/> (the checkpoint's), 0 when the log starts at offset 1.</summary>
    public long StartEpoch { get; private set; }

    /// <summary>The offset of the last entry (<see cref="StartOffset"/> when empty): the written position.</summary>
    public long EndOffset => StartOffset + _entries.Count;

    /// <summary>Entries 1..this are on disk and synced, as this log holds them now.</summary>
    public long DurableOffset { get; private set; }

    /// <summary>The epoch of the last entry (<see cref="StartEpoch"/> when empty).</summary>
    public long LastEpoch => _entries.Count == 0 ? StartEpoch : _entries[^1].Epoch;

    /// <summary>The entry at <paramref name="offset"/> (above <see cref="StartOffset"/>).</summary>
    public LogEntry this[long offset] => _entries[Index(offset)];

    /// <summary>
    /// The epoch of the entry at <paramref name="offset"/>: <see cref="StartEpoch"/> at the start (0 for offset 0); -1
    /// beyond the end. Below the start the epoch is not known: asking is a caller's bug.
    /// </summary>
    public long EpochAt(long offset)
    {
        if (offset < StartOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Entries up to {StartOffset} are deleted (checkpointed).");
        }

        return offset == StartOffset ? StartEpoch : offset > EndOffset ? -1 : _entries[Index(offset)].Epoch;
    }

    /// <summary>
    /// The end offset of <paramref name="epoch"/> here: the number of leading entries whose epoch is at most
    /// <paramref name="epoch"/>. For an epoch below <see cref="StartEpoch"/> (which ended in the deleted prefix) the answer
    /// is <see cref="StartOffset"/>, an upper bound.
    /// </summary>
    public long EndOffsetOfEpoch(long epoch)
    {
        if (epoch < StartEpoch)
        {
            return StartOffset;
        }

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

        return StartOffset + low;
    }

    /// <summary>Appends <paramref name="entry"/> at <see cref="EndOffset"/> + 1 and returns its offset.</summary>
    public long Append(LogEntry entry)
    {
        if (entry.Epoch < LastEpoch)
        {
            throw new ArgumentException($"Entry epoch {entry.Epoch} is below the last epoch {LastEpoch}.", nameof(entry));
        }

        _entries.Add(entry);
        return EndOffset;
    }

    /// <summary>Removes every entry after <paramref name="length"/> (at least <see cref="StartOffset"/>); the durable position and pending syncs follow.</summary>
    public void TruncateTo(long length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, StartOffset);
        if (length >= EndOffset)
        {
            return;
        }

        var keep = (int)(length - StartOffset);
        _entries.RemoveRange(keep, _entries.Count - keep);
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

    /// <summary>Copies entries <paramref name="fromOffset"/>.. (at most <paramref name="maxCount"/>; above <see cref="StartOffset"/>).</summary>
    public IReadOnlyList<LogEntry> Read(long fromOffset, int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromOffset, StartOffset + 1);
        var start = (int)(fromOffset - StartOffset - 1);
        var count = Math.Max(0, Math.Min(maxCount, _entries.Count - start));
        return count == 0 ? [] : _entries.GetRange(start, count);
    }

    /// <summary>
    /// Deletes the entries up to <paramref name="offset"/> (a checkpoint of them is durable): the log starts after it.
    /// Durable up to there (the checkpoint holds those entries' effect).
    /// </summary>
    public void DeletePrefix(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, EndOffset);
        if (offset <= StartOffset)
        {
            return;
        }

        StartEpoch = EpochAt(offset);
        _entries.RemoveRange(0, (int)(offset - StartOffset));
        StartOffset = offset;
        DurableOffset = Math.Max(DurableOffset, offset);
    }

    /// <summary>
    /// Replaces the whole log by a checkpoint at <paramref name="offset"/> of <paramref name="epoch"/> with no entries
    /// after it (a transferred checkpoint). Nothing is durable until a sync requested after this completes.
    /// </summary>
    public void ResetTo(long offset, long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        _entries.Clear();
        StartOffset = offset;
        StartEpoch = epoch;
        DurableOffset = 0;
        _truncatedSinceSyncRequest = true;
        for (var i = 0; i < _pendingSyncs.Count; i++)
        {
            _pendingSyncs[i] = _pendingSyncs[i] with { CoversUpTo = 0 };
        }
    }

    private int Index(long offset)
    {
        if (offset <= StartOffset || offset > EndOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The log holds offsets {StartOffset + 1}..{EndOffset}.");
        }

        return (int)(offset - StartOffset - 1);
    }

    private readonly record struct PendingSync(long Token, long CoversUpTo);
}
