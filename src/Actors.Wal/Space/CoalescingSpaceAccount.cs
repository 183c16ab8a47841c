using System.Runtime.CompilerServices;

namespace Actors.Wal.Space;

/// <summary>
/// Adds a group's live-byte changes together per segment and passes them on only when the group is flushed: the committer
/// applies a group's records through it and flushes once every entry of the group is published, so the active segment's
/// live bytes are written once per group rather than once per record (that field shares a cache line with the segment's
/// framing position, which the writer reads for every record it frames on another core), and a segment's live bytes never
/// fall before the entries that stopped pointing into it are published.
/// </summary>
/// <remarks>
/// <para>Not thread-safe: one owner (the committer). <see cref="Flush"/> runs after the group's entries are published and
/// before the group's positions move.</para>
/// <para>Why the decreases wait: space management takes a sealed segment whose live bytes read zero as dead, and deletes it
/// once a recovery snapshot whose entries were copied after that read is durable. Passed on at once, the decrease of a
/// record's old segment would reach it before the stream's new entry is published, and a snapshot copied in between would
/// still point into the deleted segment (the log would then refuse to open from it).</para>
/// </remarks>
internal sealed class CoalescingSpaceAccount(ISpaceAccount target) : ISpaceAccount
{
    private (uint SegmentId, long Delta)[] _held = new (uint, long)[8];
    private int _count;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddLive(uint segmentId, long delta)
    {
        for (int i = _count - 1; i >= 0; i--)
        {
            if (_held[i].SegmentId == segmentId)
            {
                _held[i].Delta += delta;
                return;
            }
        }

        if (_count == _held.Length)
        {
            Array.Resize(ref _held, _count * 2);
        }

        _held[_count++] = (segmentId, delta);
    }

    /// <summary>Passes on what is held, one sum per segment in the order the segments first came.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Flush()
    {
        for (int i = 0; i < _count; i++)
        {
            if (_held[i].Delta != 0)
            {
                target.AddLive(_held[i].SegmentId, _held[i].Delta);
            }
        }

        _count = 0;
    }
}
