using System.Runtime.CompilerServices;
using Actors.Wal.Format;

namespace Actors.Wal.Index;

/// <summary>
/// The per-stream index, readable by any thread without a lock, in two tiers keyed by a 64-bit hash of the stream id:
/// <list type="bullet">
/// <item><description>idle: a dense array of 48-byte <see cref="StreamEntry"/> structs sorted by hash, without ids
/// (streams loaded at open or not written since the last <see cref="Demote"/>); a lookup binary-searches the hash and
/// verifies each candidate against the stream id stored in its latest record on disk;</description></item>
/// <item><description>hot: a <see cref="HotStream"/> per stream written since the last demotion, found by its id.</description></item>
/// </list>
/// </summary>
/// <remarks>
/// Ownership: one owner mutates the index (recovery before the log starts, then the committer thread): it publishes
/// hot entries, marks promoted idle entries as moved, replaces the idle entry of a stream relocated while idle, and demotes.
/// Readers take the current <see cref="IndexTiers"/> once and see a consistent picture: idle entries change only by the
/// moved mark and by relocations (read through the tiers' sequence lock), hot entries are read through their sequence lock, and a demotion publishes a new tiers object instead of changing the old one. The order of the
/// owner's writes (a hot entry is published before its idle slot is marked moved) and of the readers' checks (hot
/// first; a moved idle entry sends the reader back to the hot tier) makes a read either see the state before a change
/// or after it, never neither.
/// </remarks>
internal sealed partial class StreamIndex
{
    /// <summary>Flag on an idle entry whose stream was promoted to the hot tier.</summary>
    private const uint MovedFlag = 0x100;

    private IndexTiers _tiers = new([], 0);

    /// <summary>The current tiers (readers take them once per lookup).</summary>
    public IndexTiers Current => Volatile.Read(ref _tiers);

    /// <summary>Streams in the index.</summary>
    public int Count => Current.Count;

    /// <summary>Streams in the hot tier.</summary>
    public int HotCount => Current.Hot.Count;

    /// <summary>Bytes of the idle array (48 per slot); hot entries cost about 150 bytes more each, ids excluded.</summary>
    public long ArrayBytes => (long)Current.Idle.Length * 48;

    /// <summary>
    /// Finds <paramref name="id"/>: its hot entry, or an idle entry with its hash that <paramref name="matchesOnDisk"/>
    /// confirms (does the record at this position belong to the stream?). Any thread; does not change the index.
    /// </summary>
    /// <exception cref="LogCorruptedException">
    /// <paramref name="matchesOnDisk"/> found a candidate's record damaged or its segment missing, and the candidate is
    /// still the stream's current entry (a candidate moved meanwhile is looked up again instead).
    /// </exception>
    public bool TryFind(string id, ulong hash, Func<long, string, bool> matchesOnDisk, out StreamEntry entry, out HotStream? hot, out int idleSlot)
        => TryFind(id, hash, LogPosition.None, matchesOnDisk, out entry, out hot, out idleSlot);

    /// <summary>
    /// <see cref="TryFind(string, ulong, Func{long, string, bool}, out StreamEntry, out HotStream?, out int)"/> for a caller
    /// that has read <paramref name="id"/>'s record at <paramref name="knownPosition"/> itself (compaction's copy: it read
    /// the stream's latest record there and took the stream's id from it): an idle candidate whose latest record is that one is the
    /// stream without a read (a record belongs to one stream, and no two records share a position); any other candidate
    /// is verified by <paramref name="matchesOnDisk"/>. <see cref="LogPosition.None"/> knows nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryFind(string id, ulong hash, long knownPosition, Func<long, string, bool> matchesOnDisk, out StreamEntry entry, out HotStream? hot, out int idleSlot)
    {
        while (true)
        {
            var tiers = Current;
            if (tiers.Hot.TryGetValue(id, out hot))
            {
                entry = hot.Read();
                idleSlot = -1;
                return true;
            }

            bool moved = false;
            for (int k = tiers.LowerBound(hash); k < tiers.IdleCount && tiers.Idle[k].Hash == hash; k++)
            {
                if ((Volatile.Read(ref tiers.Idle[k].Flags) & MovedFlag) != 0)
                {
                    moved = true;
                    continue;
                }

                StreamEntry candidate = tiers.ReadIdle(k);
                bool matches;
                try
                {
                    matches = (knownPosition != LogPosition.None && candidate.LatestPosition == knownPosition) || matchesOnDisk(candidate.LatestPosition, id);
                }
                catch (LogCorruptedException) when (IsMoved(tiers, k) || !ReferenceEquals(tiers, Current) || tiers.ReadIdle(k).LatestPosition != candidate.LatestPosition)
                {
                    // The stream was promoted or relocated in place (or the tiers rebuilt) while its idle position was
                    // being verified, and compaction moved it and reclaimed the segment that position named: not a loss,
                    // the index holds the current state. Unchanged, a missing segment is a loss and the error stands.
                    moved = true;
                    break;
                }

                if (matches)
                {
                    if ((Volatile.Read(ref tiers.Idle[k].Flags) & MovedFlag) != 0 || tiers.ReadIdle(k).LatestPosition != candidate.LatestPosition)
                    {
                        moved = true;
                        break; // promoted or relocated while verifying: look again for the current state
                    }

                    entry = candidate;
                    idleSlot = k;
                    return true;
                }
            }

            if (!moved && ReferenceEquals(tiers, Current))
            {
                entry = default;
                hot = null;
                idleSlot = -1;
                return false;
            }

            // A candidate moved to the hot tier (or the tiers were rebuilt) during the lookup: look again.
        }
    }

    /// <summary>True when idle slot <paramref name="slot"/> of <paramref name="tiers"/> was promoted to the hot tier.</summary>
    public static bool IsMoved(IndexTiers tiers, int slot) => (Volatile.Read(ref tiers.Idle[slot].Flags) & MovedFlag) != 0;

    /// <summary>Publishes a hot entry for the first time (owner only): into the hot tier, then its idle slot is marked moved.</summary>
    public void AddHot(HotStream hot)
    {
        var tiers = Current;
        tiers.Hot[hot.Id] = hot;
        if (hot.IdleSlot >= 0)
        {
            ref uint flags = ref tiers.Idle[hot.IdleSlot].Flags;
            Volatile.Write(ref flags, flags | MovedFlag);
            tiers.MovedCount++;
        }

        hot.IsPublished = true;
    }

    /// <summary>
    /// The entry of idle slot <paramref name="slot"/> of <paramref name="tiers"/>, for the owner to apply a relocation copy
    /// of a stream that stays idle (no hot entry, no moved mark) and then <see cref="ReplaceIdle"/> it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tiers were replaced since the slot was found, or the slot was promoted: the writer broke the rule that keeps an idle copy in flight from both.</exception>
    public StreamEntry OwnedIdle(IndexTiers tiers, int slot)
    {
        if (!ReferenceEquals(tiers, Current) || IsMoved(tiers, slot))
        {
            throw new InvalidOperationException(
                $"Index invariant broken: the idle slot {slot} a relocation copy was framed for is no longer the stream's current entry (tiers replaced: {!ReferenceEquals(tiers, Current)}, promoted: {IsMoved(tiers, slot)}).");
        }

        return tiers.Idle[slot];
    }

    /// <summary>
    /// Replaces idle slot <paramref name="slot"/> with <paramref name="entry"/> in place (owner only, after
    /// <see cref="OwnedIdle"/>). Readers see the entry before or after, never a mix (<see cref="IndexTiers.ReadIdle"/>).
    /// </summary>
    public static void ReplaceIdle(IndexTiers tiers, int slot, in StreamEntry entry) => tiers.WriteIdle(slot, entry);

    /// <summary>Replaces the index with <paramref name="entries"/> as the idle tier (owner only: recovery).</summary>
    public void LoadIdle(List<StreamEntry> entries)
    {
        var idle = entries.ToArray();
        StreamEntryOrder.SortByHash(idle);
        Volatile.Write(ref _tiers, new IndexTiers(idle, idle.Length));
    }

    /// <summary>
    /// Moves every hot entry into a new sorted idle tier and forgets the ids (owner only, with no write of the index
    /// pending): memory per stream returns to 48 bytes; the next use of a stream verifies it on disk once. Readers that
    /// hold the old tiers keep a consistent picture of the state at the demotion.
    /// </summary>
    public void Demote()
    {
        // The hot entries sorted on their own, then merged with the idle tier (already sorted) straight into the new
        // array: one pass over the idle entries instead of copying them, sorting the whole, and copying them aside to
        // merge (with 1,000,000 idle streams the writer and the committer wait for this).
        var tiers = Current;
        var hot = new StreamEntry[tiers.Hot.Count];
        int hotCount = 0;
        foreach (var stream in tiers.Hot.Values)
        {
            if (hotCount == hot.Length)
            {
                Array.Resize(ref hot, (hot.Length * 2) + 1);
            }

            hot[hotCount++] = stream.Owned;
        }

        StreamEntryOrder.SortByHash(hot.AsSpan(0, hotCount));
        var merged = new StreamEntry[Math.Max(0, tiers.IdleCount - tiers.MovedCount) + hotCount];
        int n = 0;
        int next = 0;
        for (int k = 0; k < tiers.IdleCount; k++)
        {
            if ((tiers.Idle[k].Flags & MovedFlag) != 0)
            {
                continue;
            }

            while (next < hotCount && hot[next].Hash < tiers.Idle[k].Hash)
            {
                Append(ref merged, ref n, hot[next++]);
            }

            Append(ref merged, ref n, tiers.Idle[k]);
        }

        while (next < hotCount)
        {
            Append(ref merged, ref n, hot[next++]);
        }

        if (n < merged.Length)
        {
            Array.Resize(ref merged, n);
        }

        Volatile.Write(ref _tiers, new IndexTiers(merged, n));
    }

    /// <summary>Adds <paramref name="entry"/> at <paramref name="n"/>, growing the array if the moved count was off.</summary>
    private static void Append(ref StreamEntry[] entries, ref int n, in StreamEntry entry)
    {
        if (n == entries.Length)
        {
            Array.Resize(ref entries, Math.Max(4, entries.Length * 2));
        }

        entries[n++] = entry;
    }

    /// <summary>Every entry of <paramref name="tiers"/> (idle entries not moved, then hot ones): for snapshots and space passes.</summary>
    /// <remarks>
    /// A stream promoted while this runs may be seen twice (its idle state, then its hot state): callers that must not
    /// see a stream twice replace the idle copy using <see cref="HotStream.IdleSlot"/>, as <see cref="Capture"/> does.
    /// </remarks>
    public static IEnumerable<StreamEntry> Entries(IndexTiers tiers)
    {
        foreach (var (entry, _) in SlottedEntries(tiers))
        {
            yield return entry;
        }
    }

    /// <summary>
    /// <see cref="Entries"/> with each idle entry's slot in <paramref name="tiers"/> (-1 for a hot entry), for a caller
    /// that comes back to the same stream later (<see cref="TryReadIdleAt"/>).
    /// </summary>
    public static IEnumerable<(StreamEntry Entry, int IdleSlot)> SlottedEntries(IndexTiers tiers)
    {
        for (int k = 0; k < tiers.IdleCount; k++)
        {
            if ((Volatile.Read(ref tiers.Idle[k].Flags) & MovedFlag) == 0)
            {
                yield return (tiers.ReadIdle(k), k);
            }
        }

        foreach (var hot in tiers.Hot.Values)
        {
            yield return (hot.Read(), -1);
        }
    }

    /// <summary>
    /// The idle entry at <paramref name="slot"/> of <paramref name="tiers"/>, when that slot is not promoted and still holds
    /// <paramref name="hash"/>'s stream whose latest record is at <paramref name="latestPosition"/>. False says nothing
    /// about the stream: look it up. Any thread; does not change the index.
    /// </summary>
    /// <remarks>
    /// The entry is the stream's current state, without
    /// <see cref="TryFind(string, ulong, long, Func{long, string, bool}, out StreamEntry, out HotStream?, out int)"/>'s
    /// search, only for a caller that (1) took the stream's id from the record at <paramref name="latestPosition"/> itself
    /// (a record belongs to one stream, and no two records share a position), and (2) knows the stream has no hot entry
    /// in <paramref name="tiers"/> apart from the one the moved flag reports: this does not look at the hot tier. The
    /// writer framing compaction's copy is such a caller (see <c>LogWriter.TryFrameIdleRelocation</c>).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryReadIdleAt(IndexTiers tiers, int slot, ulong hash, long latestPosition, out StreamEntry entry)
    {
        if ((uint)slot < (uint)tiers.IdleCount && !IsMoved(tiers, slot))
        {
            entry = tiers.ReadIdle(slot);
            if (entry.Hash == hash && entry.LatestPosition == latestPosition && !IsMoved(tiers, slot))
            {
                return true;
            }
        }

        entry = default;
        return false;
    }
}
