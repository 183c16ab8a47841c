using System.Runtime.CompilerServices;

namespace Actors.Wal.Index;

/// <summary>
/// The published index entry of a stream used since the last demotion, with its id: one object per hot stream.
/// </summary>
/// <remarks>
/// Ownership: only the index's owner (the committer thread, or recovery before the log starts) writes
/// <see cref="Publish"/>; any thread reads with <see cref="Read"/>. A sequence lock makes every read a consistent
/// copy of one published state without blocking the writer (the entry is 48 bytes, too large to write atomically).
/// </remarks>
internal sealed class HotStream
{
    private int _sequence;
    private StreamEntry _entry;

    /// <summary>Creates the hot entry of <paramref name="id"/>, starting from <paramref name="entry"/>.</summary>
    /// <param name="id">The stream id.</param>
    /// <param name="entry">The state it starts from (an idle entry being promoted, or a new stream's empty entry).</param>
    /// <param name="idleSlot">The idle slot it was promoted from, or -1 for a stream new to the index.</param>
    public HotStream(string id, in StreamEntry entry, int idleSlot)
    {
        Id = id;
        _entry = entry;
        IdleSlot = idleSlot;
    }

    /// <summary>The stream id.</summary>
    public string Id { get; }

    /// <summary>The idle slot this entry was promoted from (in the tiers it was created in), or -1.</summary>
    public int IdleSlot { get; }

    /// <summary>True once the owner published it into the index's hot tier (owner only).</summary>
    public bool IsPublished { get; set; }

    /// <summary>A consistent copy of the published entry. Any thread; never blocks.</summary>
    public StreamEntry Read()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            int before = Volatile.Read(ref _sequence);
            if ((before & 1) == 0)
            {
                StreamEntry copy = _entry;
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _sequence) == before)
                {
                    return copy;
                }
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>The published entry, read by the owner (no other thread writes it).</summary>
    public ref readonly StreamEntry Owned => ref _entry;

    /// <summary>Publishes a new state (owner only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Publish(in StreamEntry entry)
    {
        Interlocked.Increment(ref _sequence);
        _entry = entry;
        Volatile.Write(ref _sequence, _sequence + 1);
    }
}
