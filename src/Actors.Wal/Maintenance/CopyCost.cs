using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Actors.Wal.Index;

namespace Actors.Wal.Maintenance;

/// <summary>
/// What compacting a segment would write: the live bytes of every stream with live records there, over all of its
/// segments, since a compaction copy carries a stream's whole live content (its base and the events after it; with
/// <see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>, every event it keeps), not only its records in the
/// segment compacted.
/// </summary>
/// <remarks>
/// Why (issue 65): a segment where overwritten states died around a few events of keep-all journals falls below
/// <see cref="WriteAheadLogOptions.CompactionLiveRatio"/> by its own bytes, but copying those journals forward rewrites
/// their whole histories, which grow with the log: measured on one Orleans silo, the passes' copies grew from window to
/// window until the durable rate collapsed. The background passes compare this cost, not the segment's own live bytes,
/// with the ratio, so such a segment stays where it is (its dead bytes wait until its journals are copied for another
/// reason, or an operator runs <see cref="WriteAheadLog.CompactAsync"/>).
/// </remarks>
internal static class CopyCost
{
    /// <summary>
    /// For each of <paramref name="segments"/>, the sum of the live bytes (<see cref="StreamEntry.LiveBytes"/>) of the streams
    /// of <paramref name="tiers"/> with a live run there: one pass over the index, without a lock (the entries may change
    /// meanwhile: an estimate, as the pass that uses it reads the streams again).
    /// </summary>
    /// <param name="tiers">The index.</param>
    /// <param name="segments">The segments asked about.</param>
    /// <param name="mayTrim">Receives those of <paramref name="segments"/> where some stream with a live run may trim its
    /// history by its own policy (<see cref="StreamEntry.MayTrimHistory"/>).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Dictionary<uint, long> PerSegment(IndexTiers tiers, HashSet<uint> segments, HashSet<uint> mayTrim)
    {
        var costs = new Dictionary<uint, long>(segments.Count);
        foreach (uint segment in segments)
        {
            costs[segment] = 0;
        }

        if (segments.Count == 0)
        {
            return costs;
        }

        for (int slot = 0; slot < tiers.IdleCount; slot++)
        {
            if (!StreamIndex.IsMoved(tiers, slot))
            {
                var entry = tiers.ReadIdle(slot);
                Add(entry, costs, mayTrim);
            }
        }

        foreach (var hot in tiers.Hot.Values)
        {
            Add(hot.Read(), costs, mayTrim);
        }

        return costs;
    }

    private static void Add(in StreamEntry entry, Dictionary<uint, long> costs, HashSet<uint> mayTrim)
    {
        long live = -1;
        if (entry.LatestRunBytes > 0)
        {
            AddTo(entry.LatestSegment, in entry, ref live, costs, mayTrim);
        }

        if (entry.OlderRuns is { } older)
        {
            foreach (var run in older)
            {
                AddTo(run.SegmentId, in entry, ref live, costs, mayTrim);
            }
        }
    }

    private static void AddTo(uint segment, in StreamEntry entry, ref long live, Dictionary<uint, long> costs, HashSet<uint> mayTrim)
    {
        ref long cost = ref CollectionsMarshal.GetValueRefOrNullRef(costs, segment);
        if (!Unsafe.IsNullRef(ref cost))
        {
            if (live < 0)
            {
                live = entry.LiveBytes;
            }

            cost += live;
            if (entry.MayTrimHistory)
            {
                mayTrim.Add(segment);
            }
        }
    }
}
