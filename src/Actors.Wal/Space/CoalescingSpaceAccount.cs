namespace Actors.Wal.Space;

/// <summary>
/// Adds consecutive live-byte changes of one segment together before passing them on: the committer applies a group's
/// records through it and flushes once the group is applied, so the active segment's live bytes are written once per
/// group rather than once per record (that field shares a cache line with the segment's framing position, which the
/// writer reads for every record it frames on another core).
/// </summary>
/// <remarks>
/// Not thread-safe: one owner (the committer). A change held here is one of records not yet published, so no reader
/// can tell it apart from a record applied a moment later; <see cref="Flush"/> runs before the group's positions move.
/// </remarks>
internal sealed class CoalescingSpaceAccount(ISpaceAccount target) : ISpaceAccount
{
    private uint _segmentId;
    private long _delta;
    private bool _holding;

    /// <inheritdoc />
    public void AddLive(uint segmentId, long delta)
    {
        if (_holding && segmentId == _segmentId)
        {
            _delta += delta;
            return;
        }

        Flush();
        _segmentId = segmentId;
        _delta = delta;
        _holding = true;
    }

    /// <summary>Passes on what is held.</summary>
    public void Flush()
    {
        if (!_holding)
        {
            return;
        }

        _holding = false;
        if (_delta != 0)
        {
            target.AddLive(_segmentId, _delta);
        }
    }
}
