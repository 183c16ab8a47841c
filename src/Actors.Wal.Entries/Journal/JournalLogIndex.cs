namespace Actors.Wal.Entries.Journal;

/// <summary>
/// One log's view of an <see cref="EntryJournal"/>: the entries it holds now (epoch and record location of each, at
/// consecutive LSNs after <see cref="BaseLsn"/>), built by replaying the log's records in journal order and kept up to
/// date by the journal as the log appends, truncates and resets. Only the journal changes it (under its lock); the log's
/// owner reads it.
/// </summary>
internal sealed class JournalLogIndex(int logId)
{
    private readonly List<long> _epochs = [];
    private readonly List<JournalLocation> _locations = [];
    private long _pinnedSegment = long.MaxValue;
    private long _pinnedUntil;

    /// <summary>The log's id in the journal's records.</summary>
    public int LogId { get; } = logId;

    /// <summary>Whether any record of the log has been seen or written: until then <see cref="BaseLsn"/> is not known (0).</summary>
    public bool Touched { get; private set; }

    /// <summary>The LSN before the first entry held: entries are <see cref="BaseLsn"/> + 1..<see cref="EndLsn"/>.</summary>
    public long BaseLsn { get; private set; }

    /// <summary>The last LSN held (<see cref="BaseLsn"/> when none).</summary>
    public long EndLsn => BaseLsn + _epochs.Count;

    /// <summary>The number of entries held.</summary>
    public int Count => _epochs.Count;

    /// <summary>The journal-wide position just after the log's last record (0 when it wrote none).</summary>
    public long LastPosition { get; set; }

    /// <summary>
    /// The ordinal of the oldest segment this log needs (<see cref="long.MaxValue"/> when none) while the journal is durable
    /// up to <paramref name="durablePosition"/>: the one holding the first entry it holds, or an older one holding an entry
    /// a truncation removed whose record is not durable yet (a crash before that finds the removed entries again, and the
    /// log must then still read them). Older segments are not needed by this log.
    /// </summary>
    public long FirstNeededSegment(long durablePosition)
    {
        var held = _locations.Count == 0 ? long.MaxValue : _locations[0].Segment;
        return _pinnedUntil > durablePosition ? Math.Min(held, _pinnedSegment) : held;
    }

    /// <summary>The last epoch among the entries held, or null when none is held.</summary>
    public long? LastEpoch => _epochs.Count == 0 ? null : _epochs[^1];

    public long EpochAt(long lsn) => _epochs[checked((int)(lsn - BaseLsn - 1))];

    public JournalLocation LocationOf(long lsn) => _locations[checked((int)(lsn - BaseLsn - 1))];

    /// <summary>Adds the entry at <paramref name="lsn"/>: the first one seen sets <see cref="BaseLsn"/>; later ones must follow the end. False when it does not.</summary>
    public bool TryAdd(long lsn, long epoch, JournalLocation location)
    {
        if (!Touched)
        {
            Touched = true;
            BaseLsn = lsn - 1;
        }

        if (lsn != EndLsn + 1 || (_epochs.Count > 0 && epoch < _epochs[^1]))
        {
            return false;
        }

        _epochs.Add(epoch);
        _locations.Add(location);
        return true;
    }

    /// <summary>
    /// Keeps the entries up to <paramref name="lsn"/>; below <see cref="BaseLsn"/> nothing is left and the log continues
    /// after <paramref name="lsn"/>. The segment of the first entry removed stays needed until the journal is durable up to
    /// <paramref name="recordEnd"/>, the end of the truncation's record (0 in recovery, where every record is durable).
    /// </summary>
    public void TruncateAfter(long lsn, long recordEnd)
    {
        var firstRemoved = Math.Max(0, lsn - BaseLsn);
        if (recordEnd > 0 && firstRemoved < _locations.Count)
        {
            _pinnedSegment = Math.Min(_pinnedSegment, _locations[checked((int)firstRemoved)].Segment);
            _pinnedUntil = Math.Max(_pinnedUntil, recordEnd);
        }

        if (!Touched || lsn < BaseLsn)
        {
            Clear(lsn);
            return;
        }

        if (lsn < EndLsn)
        {
            var keep = checked((int)(lsn - BaseLsn));
            _epochs.RemoveRange(keep, _epochs.Count - keep);
            _locations.RemoveRange(keep, _locations.Count - keep);
        }
    }

    /// <summary>Forgets every entry: the log continues after <paramref name="lsn"/> (a reset to a checkpoint, or a truncation below what is held).</summary>
    public void Clear(long lsn)
    {
        Touched = true;
        BaseLsn = lsn;
        _epochs.Clear();
        _locations.Clear();
    }

    /// <summary>Forgets the entries up to <paramref name="lsn"/> (a checkpoint covers them); the log then starts after it.</summary>
    public void DropThrough(long lsn)
    {
        if (lsn >= EndLsn)
        {
            Clear(lsn);
            return;
        }

        if (lsn > BaseLsn)
        {
            var drop = checked((int)(lsn - BaseLsn));
            _epochs.RemoveRange(0, drop);
            _locations.RemoveRange(0, drop);
            BaseLsn = lsn;
        }

        Touched = true;
    }
}
