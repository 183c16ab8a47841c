using Actors.Wal.Index;

namespace Actors.Wal.Writing;

/// <summary>
/// The relocation copies the writer framed for streams that stay idle (no hot entry, no writer state), from framing
/// until the committer has applied them to the stream's idle slot: the state a later record of such a stream is framed
/// against meanwhile.
/// </summary>
/// <remarks>
/// <para>Ownership: the writer (the thread holding the drain) alone. A copy counts as applied once the committer's
/// applied position lies beyond it (<see cref="Committer.AppliedPosition"/>: it moves past a group only after the index
/// holds the group's entries); from then on the idle slot itself holds its state and the copy is forgotten.</para>
/// <para>Why (issue 37): compaction copies idle streams forward. Promoting each copied stream to the hot tier cost a
/// <see cref="HotStream"/>, a <see cref="WriterStream"/> and a dictionary node per stream, and a burst of copies of many
/// streams filled the writer's table and forced index demotions that the writer and the committer wait for.</para>
/// </remarks>
internal sealed class IdleCopiesInFlight
{
    /// <summary>Copies held before the first sweep of applied ones.</summary>
    private const int MinSweepAt = 1024;

    private readonly Dictionary<string, IdleCopy> _copies = new(StringComparer.Ordinal);
    private int _sweepAt = MinSweepAt;

    /// <summary>Copies held (applied ones included until a sweep or a look-up forgets them).</summary>
    public int Count => _copies.Count;

    /// <summary>The copy of <paramref name="id"/> not yet applied by the committer, if any (an applied one is forgotten).</summary>
    public bool TryGet(string id, long appliedPosition, out IdleCopy copy)
    {
        if (!_copies.TryGetValue(id, out copy))
        {
            return false;
        }

        if (appliedPosition > copy.Position)
        {
            _copies.Remove(id);
            copy = default;
            return false;
        }

        return true;
    }

    /// <summary>Holds <paramref name="copy"/> as the latest copy of <paramref name="id"/>; sweeps applied copies now and then.</summary>
    public void Set(string id, in IdleCopy copy, long appliedPosition)
    {
        _copies[id] = copy;
        if (_copies.Count < _sweepAt)
        {
            return;
        }

        foreach (var (key, held) in _copies)
        {
            if (appliedPosition > held.Position)
            {
                _copies.Remove(key);
            }
        }

        _sweepAt = Math.Max(MinSweepAt, 2 * _copies.Count);
    }

    /// <summary>Forgets the copy of <paramref name="id"/> (the stream got writer state of its own).</summary>
    public void Remove(string id) => _copies.Remove(id);

    /// <summary>Forgets every copy (after a demotion: every group was applied and the tiers were replaced).</summary>
    public void Clear()
    {
        _copies.Clear();
        _sweepAt = MinSweepAt;
    }
}
