using Actors.Wal.Format;

namespace Actors.Wal.Index;

/// <summary>
/// Copies of the index's entries for recovery snapshots, taken while the owner keeps changing the index. A new stream's
/// hot entry is in the hot tier a moment before its first record is applied to it (<c>Committer.Publish</c>); a copy
/// taken then has no position and is left out: that record lies after the recovery point and replay creates the stream
/// (kept, it would name segment 0xFFFFFFFF, which recovery takes for a missing segment holding acknowledged records).
/// </summary>
internal sealed partial class StreamIndex
{
    /// <summary>
    /// A copy of every entry, each stream once, each entry consistent, taken while the owner may keep changing the
    /// index (a fuzzy snapshot: an entry reflects every change made before the call, and possibly later ones).
    /// </summary>
    public static List<StreamEntry> Capture(IndexTiers tiers)
    {
        var captured = new List<StreamEntry>(tiers.Count + 16);
        var idlePositions = new int[tiers.IdleCount];
        for (int k = 0; k < tiers.IdleCount; k++)
        {
            StreamEntry e = tiers.ReadIdle(k);
            if ((Volatile.Read(ref tiers.Idle[k].Flags) & MovedFlag) == 0)
            {
                idlePositions[k] = captured.Count + 1;
                captured.Add(e);
            }
        }

        foreach (var hot in tiers.Hot.Values)
        {
            StreamEntry e = hot.Read();
            if (e.LatestPosition == LogPosition.None)
            {
                continue; // a new stream whose first record is not applied yet
            }

            if (hot.IdleSlot >= 0 && hot.IdleSlot < idlePositions.Length && idlePositions[hot.IdleSlot] > 0)
            {
                captured[idlePositions[hot.IdleSlot] - 1] = e; // promoted after its idle copy was taken
            }
            else
            {
                captured.Add(e);
            }
        }

        return WithoutMovedFlags(captured);
    }

    /// <summary>
    /// A copy of every entry whose latest position is at or after <paramref name="since"/>, with every other entry that
    /// shares a hash with one of them (complete hash groups: <see cref="Recovery.RecoverySnapshotDelta"/>), each stream
    /// once, each entry consistent, taken while the owner may keep changing the index. Every change the owner published
    /// before the call at a position at or after <paramref name="since"/> is reflected (positions grow in write order, so
    /// when <paramref name="since"/> is the applied position at some earlier moment, every change since that moment).
    /// </summary>
    public static List<StreamEntry> CaptureChanged(IndexTiers tiers, long since)
    {
        var captured = new List<StreamEntry>();
        var capturedIdle = new Dictionary<int, int>();
        var hashes = new HashSet<ulong>();
        for (int k = 0; k < tiers.IdleCount; k++)
        {
            if (Volatile.Read(ref tiers.Idle[k].LatestPosition) >= since)
            {
                StreamEntry e = tiers.ReadIdle(k);
                if ((Volatile.Read(ref tiers.Idle[k].Flags) & MovedFlag) == 0)
                {
                    capturedIdle[k] = captured.Count;
                    captured.Add(e);
                    hashes.Add(e.Hash);
                }
            }
        }

        var hot = new List<(HotStream Stream, StreamEntry Entry)>(tiers.Hot.Count);
        foreach (var stream in tiers.Hot.Values)
        {
            StreamEntry e = stream.Read();
            hot.Add((stream, e));
            if (e.LatestPosition >= since)
            {
                hashes.Add(e.Hash);
            }
        }

        var hotSlots = new HashSet<int>();
        foreach (var (stream, e) in hot)
        {
            if (!hashes.Contains(e.Hash) || e.LatestPosition == LogPosition.None)
            {
                continue; // unchanged and in no changed group, or a new stream whose first record is not applied yet
            }

            if (stream.IdleSlot >= 0)
            {
                hotSlots.Add(stream.IdleSlot);
            }

            if (stream.IdleSlot >= 0 && capturedIdle.TryGetValue(stream.IdleSlot, out int at))
            {
                captured[at] = e; // promoted after its idle copy was taken
            }
            else
            {
                captured.Add(e);
            }
        }

        // The rest of each group: idle entries with a captured hash that did not change themselves. A slot marked moved
        // whose hot entry is not in the copy above was promoted after that copy was taken: its idle state is taken (the
        // promotion's record lies after the recovery point, and replay applies it), else the merge would drop the stream.
        foreach (ulong hash in hashes)
        {
            for (int k = tiers.LowerBound(hash); k < tiers.IdleCount && tiers.Idle[k].Hash == hash; k++)
            {
                StreamEntry e = tiers.ReadIdle(k);
                if (!capturedIdle.ContainsKey(k) && !hotSlots.Contains(k))
                {
                    capturedIdle[k] = captured.Count;
                    captured.Add(e);
                }
            }
        }

        return WithoutMovedFlags(captured);
    }

    /// <summary>Clears the in-memory moved flag of every entry of <paramref name="captured"/> (a copy's entries are never moved).</summary>
    private static List<StreamEntry> WithoutMovedFlags(List<StreamEntry> captured)
    {
        for (int i = 0; i < captured.Count; i++)
        {
            StreamEntry e = captured[i];
            e.Flags &= ~MovedFlag;
            captured[i] = e;
        }

        return captured;
    }
}
