using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Actors.Wal.Index;

/// <summary>One generation of the index's tiers; replaced, never rebuilt in place, by a demotion.</summary>
/// <remarks>
/// An idle entry changes in place in two ways, both by the index's owner: its moved mark (one atomic write of
/// <see cref="StreamEntry.Flags"/>), and a relocation copy of a stream that stays idle (<see cref="WriteIdle"/>: the
/// whole 48-byte entry, under the tiers' sequence lock). A reader that needs a whole idle entry takes it with
/// <see cref="ReadIdle"/>; reading one field (the hash, which never changes, or the flags) needs no lock.
/// </remarks>
internal sealed class IndexTiers
{
    private int _idleSequence;

    /// <summary>Creates tiers over a sorted idle array.</summary>
    public IndexTiers(StreamEntry[] idle, int idleCount)
    {
        Idle = idle;
        IdleCount = idleCount;
    }

    /// <summary>The idle entries sorted by hash (the hash of a slot never changes).</summary>
    public StreamEntry[] Idle { get; }

    /// <summary>Slots used in <see cref="Idle"/>.</summary>
    public int IdleCount { get; }

    /// <summary>The hot entries by stream id (the owner adds; readers look up and enumerate).</summary>
    public ConcurrentDictionary<string, HotStream> Hot { get; } = new(StringComparer.Ordinal);

    /// <summary>Idle entries marked moved (owner-maintained).</summary>
    public int MovedCount { get; set; }

    /// <summary>Streams in these tiers.</summary>
    public int Count => IdleCount - MovedCount + Hot.Count;

    /// <summary>A consistent copy of idle slot <paramref name="slot"/>. Any thread; never blocks the owner.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public StreamEntry ReadIdle(int slot)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            int before = Volatile.Read(ref _idleSequence);
            if ((before & 1) == 0)
            {
                StreamEntry copy = Idle[slot];
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _idleSequence) == before)
                {
                    return copy;
                }
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Replaces idle slot <paramref name="slot"/> (owner only; see <see cref="StreamIndex.ReplaceIdle"/>).</summary>
    public void WriteIdle(int slot, in StreamEntry entry)
    {
        Interlocked.Increment(ref _idleSequence);
        Idle[slot] = entry;
        Volatile.Write(ref _idleSequence, _idleSequence + 1);
    }

    /// <summary>The first idle slot whose hash is not below <paramref name="hash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int LowerBound(ulong hash)
    {
        int lo = 0;
        int hi = IdleCount;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Idle[mid].Hash < hash)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
