using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Actors.Wal.Index;

namespace Actors.Wal.Maintenance;

/// <summary>
/// The streams one compaction pass copies forward (those with live records in a segment it compacts), in the order it
/// walks them: newest latest record first.
/// </summary>
/// <remarks>
/// <para>An idle stream is kept as its slot (4 bytes) and the position of its latest record (8 bytes, the sort key), and
/// its entry is read again from the tiers when its turn comes; only hot streams are kept as entries. Why (issue 37): a
/// pass over 100,000 idle streams kept them as (entry, slot) pairs, 56 bytes each, in a list that grew by doubling, about
/// 14.6 MB of large-object allocations per pass (allocation samples of a copy pass, run 1605), which count towards the
/// collector's gen2 budget while the writers run.</para>
/// <para>An entry read again is used only while its latest record is still the one collected (<see cref="TryRead"/>): the
/// pass's shared read cursor may serve only positions written before the pass read the index, and a stream that changed
/// since (an erase or a consolidation replaced its idle entry, or it was promoted) would be refused by the writer as
/// stale anyway (<c>RelocateRequest.ExpectedLatest</c>). The next pass copies it.</para>
/// </remarks>
internal sealed class CopyCandidates
{
    private readonly IndexTiers _tiers;
    private readonly List<int> _idleSlots = [];
    private readonly List<StreamEntry> _hot = [];
    private readonly List<long> _newestFirst = []; // minus each candidate's latest position, sorted: rank order
    private int[] _order = [];

    private CopyCandidates(IndexTiers tiers)
    {
        _tiers = tiers;
    }

    /// <summary>Candidates found.</summary>
    public int Count => _order.Length;

    /// <summary>
    /// The streams of <paramref name="tiers"/> with live records in one of <paramref name="segments"/>: one pass over the
    /// index, without a lock, sorted newest latest record first.
    /// </summary>
    /// <remarks>
    /// Compiled optimized at its first call: it runs once per pass, over every slot of the index (100,000 and more), so the
    /// runtime's tiering would otherwise run it unoptimized while the writers share the cores.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CopyCandidates Collect(IndexTiers tiers, HashSet<uint> segments)
    {
        var candidates = new CopyCandidates(tiers);
        var newestFirst = candidates._newestFirst;
        for (int slot = 0; slot < tiers.IdleCount; slot++)
        {
            if (!StreamIndex.IsMoved(tiers, slot) && tiers.ReadIdle(slot) is var entry && HasRunIn(entry, segments))
            {
                candidates._idleSlots.Add(slot);
                newestFirst.Add(-entry.LatestPosition);
            }
        }

        foreach (var hot in tiers.Hot.Values)
        {
            var entry = hot.Read();
            if (HasRunIn(entry, segments))
            {
                candidates._hot.Add(entry);
                newestFirst.Add(-entry.LatestPosition);
            }
        }

        // Sorted as positions and indexes (12 bytes each, no comparison delegate): a pass runs once, so its sort often runs
        // as the runtime's first, unoptimized compilation.
        var order = new int[newestFirst.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        CollectionsMarshal.AsSpan(newestFirst).Sort(order.AsSpan());
        candidates._order = order;
        return candidates;
    }

    /// <summary>
    /// The <paramref name="rank"/>-th stream in walking order: its entry (an idle one read again from the tiers, a hot one as
    /// collected) and its idle slot (-1 for a hot stream). False when an idle stream changed since it was collected: its
    /// slot was promoted, or its latest record is another one now (the pass skips it).
    /// </summary>
    public bool TryRead(int rank, out StreamEntry entry, out int idleSlot)
    {
        int candidate = _order[rank];
        if (candidate >= _idleSlots.Count)
        {
            idleSlot = -1;
            entry = _hot[candidate - _idleSlots.Count];
            return true;
        }

        idleSlot = _idleSlots[candidate];
        entry = _tiers.ReadIdle(idleSlot);
        return !StreamIndex.IsMoved(_tiers, idleSlot) && entry.LatestPosition == -_newestFirst[rank];
    }

    private static bool HasRunIn(in StreamEntry entry, HashSet<uint> segments)
    {
        foreach (uint segment in segments)
        {
            if (entry.HasRunIn(segment))
            {
                return true;
            }
        }

        return false;
    }
}
