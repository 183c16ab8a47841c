using System.Runtime.CompilerServices;

namespace Actors.Wal.Segments;

/// <summary>
/// An immutable set of open segments in id order. The segment manager publishes a new set on every change (copy on
/// write: segments are added or removed a few times per segment size of log), so any thread can look up a segment
/// without a lock.
/// </summary>
internal sealed class SegmentSet
{
    private readonly Segment[] _segments;

    /// <summary>The empty set.</summary>
    public static SegmentSet Empty { get; } = new([]);

    private SegmentSet(Segment[] segments)
    {
        _segments = segments;
    }

    /// <summary>The segments in id order.</summary>
    public IReadOnlyList<Segment> All => _segments;

    /// <summary>How many segments.</summary>
    public int Count => _segments.Length;

    /// <summary>The segment with <paramref name="id"/>, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Segment? Find(uint id)
    {
        int lo = 0;
        int hi = _segments.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            uint midId = _segments[mid].Id;
            if (midId == id)
            {
                return _segments[mid];
            }

            if (midId < id)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }

    /// <summary>The first segment with an id above <paramref name="id"/>, or null.</summary>
    public Segment? After(uint id)
    {
        foreach (var segment in _segments)
        {
            if (segment.Id > id)
            {
                return segment;
            }
        }

        return null;
    }

    /// <summary>True when the set holds <paramref name="id"/>.</summary>
    public bool Contains(uint id) => Find(id) is not null;

    /// <summary>A set with <paramref name="segment"/> added (or replacing the one with its id).</summary>
    public SegmentSet With(Segment segment)
    {
        var list = _segments.Where(s => s.Id != segment.Id).Append(segment).OrderBy(s => s.Id).ToArray();
        return new SegmentSet(list);
    }

    /// <summary>A set without the segments in <paramref name="ids"/>.</summary>
    public SegmentSet Without(IReadOnlyCollection<uint> ids) => new(_segments.Where(s => !ids.Contains(s.Id)).ToArray());
}
