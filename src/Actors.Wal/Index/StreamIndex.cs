namespace Actors.Wal.Index;

/// <summary>
/// An open-addressing hash table (linear probing) of <see cref="StreamEntry"/> structs keyed by a 64-bit hash of the
/// stream id. Entries with equal hashes (collisions) coexist; an entry without an in-memory id is matched by
/// asking the caller to compare the id stored on disk. Not thread-safe: the log guards it with its state lock.
/// </summary>
internal sealed class StreamIndex
{
    private const double MaxLoad = 0.8;
    private StreamEntry[] _slots;

    /// <summary>Creates an index sized for <paramref name="capacityHint"/> streams.</summary>
    public StreamIndex(int capacityHint = 1024)
    {
        _slots = new StreamEntry[Math.Max(16, (int)(capacityHint / MaxLoad) + 1)];
    }

    /// <summary>Streams in the index.</summary>
    public int Count { get; private set; }

    /// <summary>Slots allocated (for memory accounting).</summary>
    public int Capacity => _slots.Length;

    /// <summary>
    /// Finds the slot of <paramref name="id"/>, or -1. For entries whose id is not in memory,
    /// <paramref name="matchesOnDisk"/> is asked whether the record at their latest position belongs to
    /// <paramref name="id"/>; on a match the id is attached to the entry.
    /// </summary>
    public int Find(ulong hash, string id, Func<long, string, bool> matchesOnDisk)
    {
        int mask = _slots.Length;
        int i = Home(hash, mask);
        while (true)
        {
            ref StreamEntry e = ref _slots[i];
            if (e.Hash == 0)
            {
                return -1;
            }

            if (e.Hash == hash)
            {
                if (e.Id is null)
                {
                    if (matchesOnDisk(e.LatestPosition, id))
                    {
                        e.Id = id;
                        return i;
                    }
                }
                else if (string.Equals(e.Id, id, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            i = i + 1 == mask ? 0 : i + 1;
        }
    }

    /// <summary>The entry in <paramref name="slot"/>; valid until the next <see cref="Add"/>.</summary>
    public ref StreamEntry At(int slot) => ref _slots[slot];

    /// <summary>Adds an entry (which must not already be present); returns its slot.</summary>
    public int Add(in StreamEntry entry)
    {
        if (Count + 1 > _slots.Length * MaxLoad)
        {
            Resize(checked((int)(_slots.Length * 1.5)));
        }

        int slot = Insert(_slots, entry);
        Count++;
        return slot;
    }

    /// <summary>The slots holding entries with <paramref name="hash"/> (collisions included).</summary>
    public void CollectSlots(ulong hash, List<int> slots)
    {
        int mask = _slots.Length;
        int i = Home(hash, mask);
        while (_slots[i].Hash != 0)
        {
            if (_slots[i].Hash == hash)
            {
                slots.Add(i);
            }

            i = i + 1 == mask ? 0 : i + 1;
        }
    }

    /// <summary>Every occupied slot (for snapshots and space accounting).</summary>
    public IEnumerable<int> OccupiedSlots()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Hash != 0)
            {
                yield return i;
            }
        }
    }

    /// <summary>Forgets every in-memory id (entries are then verified against disk on first use).</summary>
    public void DropIds()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i].Id = null;
        }
    }

    private static int Home(ulong hash, int length) => (int)(((UInt128)hash * (ulong)length) >> 64);

    private static int Insert(StreamEntry[] slots, in StreamEntry entry)
    {
        int i = Home(entry.Hash, slots.Length);
        while (slots[i].Hash != 0)
        {
            i = i + 1 == slots.Length ? 0 : i + 1;
        }

        slots[i] = entry;
        return i;
    }

    private void Resize(int capacity)
    {
        var next = new StreamEntry[capacity];
        foreach (ref readonly StreamEntry e in _slots.AsSpan())
        {
            if (e.Hash != 0)
            {
                Insert(next, e);
            }
        }

        _slots = next;
    }
}
