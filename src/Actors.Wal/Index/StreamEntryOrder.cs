using System.Runtime.CompilerServices;

namespace Actors.Wal.Index;

/// <summary>The idle tier's order: entries ascending by <see cref="StreamEntry.Hash"/> (equal hashes in any order).</summary>
internal static class StreamEntryOrder
{
    private static readonly Comparison<StreamEntry> ByHash = static (a, b) => a.Hash.CompareTo(b.Hash);

    /// <summary>
    /// Sorts <paramref name="entries"/> by hash. The inputs this sees are a sorted run followed by a short unsorted tail
    /// (an index snapshot lists the sorted idle tier first, then the hot streams; a demotion sorts its hot entries alone),
    /// so only the tail is sorted and then merged with the run: O(n + k log k) for a tail of k entries instead
    /// of a full sort, and O(n) when the input is already sorted (a snapshot taken at a clean close).
    /// </summary>
    /// <remarks>Optimized at first call: it runs once per open over up to millions of entries, before tiering could help.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SortByHash(Span<StreamEntry> entries)
    {
        int run = 1;
        while (run < entries.Length && entries[run - 1].Hash <= entries[run].Hash)
        {
            run++;
        }

        if (run >= entries.Length)
        {
            return;
        }

        Span<StreamEntry> tail = entries[run..];
        tail.Sort(ByHash);
        if (entries[run - 1].Hash <= tail[0].Hash)
        {
            return;
        }

        // Merge in place from the front: the write index never passes the tail's read index, so copying the run aside
        // is enough.
        StreamEntry[] head = entries[..run].ToArray();
        int fromHead = 0;
        int fromTail = run;
        int write = 0;
        while (fromHead < head.Length && fromTail < entries.Length)
        {
            entries[write++] = head[fromHead].Hash <= entries[fromTail].Hash ? head[fromHead++] : entries[fromTail++];
        }

        while (fromHead < head.Length)
        {
            entries[write++] = head[fromHead++];
        }
    }
}
