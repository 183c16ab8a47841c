namespace Actors.Runtime;

/// <summary>
/// The single activations of the catalog by grain id: an open-addressing table (linear probing) whose slots hold the
/// grain id's hash and the activation inline, so a lookup touches the slot array and then the activation the call goes
/// to anyway (a <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/> adds a node object per
/// entry in between, one more dependent cache miss per call when a million activations fill the heap).
/// </summary>
/// <remarks>
/// <para>Threading: lookups take no lock; adds, removals and resizes run under the table's lock. A lookup may miss an
/// activation being added or see one being removed; <see cref="GetOrAdd"/> decides under the lock, so there is never
/// more than one activation per grain id, and a caller that gets a removed activation finds it invalid and looks again
/// (as with the dictionary's snapshots before).</para>
/// <para>Publication order: an add writes the slot's hash, then the activation (a volatile write), then clears the slot's
/// tombstone mark; a removal marks the tombstone, then clears the activation. A reader that sees an activation therefore
/// sees its hash, and it stops probing only at a slot that is neither occupied nor a tombstone. A resize builds a new
/// array and publishes it whole; readers of the old array still find every entry that was in it.</para>
/// <para>Size: the table doubles when occupied plus tombstone slots pass half of it, and is rebuilt when tombstones alone
/// fill an eighth (collection removes many activations), shrinking to at most four slots per remaining activation, so
/// the memory of collected activations' slots is released with them.</para>
/// </remarks>
internal sealed class ActivationTable
{
    private const int MinCapacity = 16;

    private readonly object _lock = new();
    private Slot[] _slots = new Slot[MinCapacity];
    private int _count;
    private int _tombstones;

    /// <summary>The activations in the table.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The slots allocated now (tests: the table shrinks after mass removal).</summary>
    internal int Capacity => Volatile.Read(ref _slots).Length;

    /// <summary>The activation of <paramref name="grainId"/>, or null. Lock-free.</summary>
    public ActivationData? Find(GrainId grainId) => Find(Volatile.Read(ref _slots), grainId, grainId.GetHashCode());

    /// <summary>The activation of <paramref name="grainId"/>; when there is none, the one <paramref name="create"/> makes, added.</summary>
    public ActivationData GetOrAdd<TState>(GrainId grainId, Func<GrainId, TState, ActivationData> create, TState state)
    {
        int hash = grainId.GetHashCode();
        if (Find(Volatile.Read(ref _slots), grainId, hash) is { } found)
        {
            return found;
        }

        lock (_lock)
        {
            if (Find(_slots, grainId, hash) is { } raced)
            {
                return raced;
            }

            ActivationData created = create(grainId, state);
            if ((_count + _tombstones + 1) * 2 > _slots.Length)
            {
                Rebuild(_count + 1 > _slots.Length / 4 ? _slots.Length * 2 : _slots.Length);
            }

            Insert(_slots, hash, created);
            Volatile.Write(ref _count, _count + 1);
            return created;
        }
    }

    /// <summary>Removes <paramref name="activation"/> if it is the one the table holds for its grain id; false otherwise.</summary>
    public bool Remove(ActivationData activation)
    {
        int hash = activation.GrainId.GetHashCode();
        lock (_lock)
        {
            Slot[] slots = _slots;
            int mask = slots.Length - 1;
            for (int i = hash & mask, probes = 0; probes < slots.Length; i = (i + 1) & mask, probes++)
            {
                ref Slot slot = ref slots[i];
                if (slot.Activation is null)
                {
                    if (!slot.Deleted)
                    {
                        return false;
                    }

                    continue;
                }

                if (ReferenceEquals(slot.Activation, activation))
                {
                    Volatile.Write(ref slot.Deleted, true);
                    Volatile.Write(ref slot.Activation, null);
                    _tombstones++;
                    Volatile.Write(ref _count, _count - 1);
                    if (_tombstones * 8 > slots.Length)
                    {
                        // Shrinks too (to a load of at most a quarter): after collecting a million activations the
                        // slots of the collected ones must not stay allocated.
                        Rebuild(Math.Min(slots.Length, (int)Math.Max(MinCapacity, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_count * 4))));
                    }

                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A snapshot of the activations (any order).</summary>
    public List<ActivationData> Snapshot()
    {
        Slot[] slots = Volatile.Read(ref _slots);
        var result = new List<ActivationData>(Count);
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i].Activation) is { } activation)
            {
                result.Add(activation);
            }
        }

        return result;
    }

    /// <summary>Empties the table.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            Volatile.Write(ref _slots, new Slot[MinCapacity]);
            Volatile.Write(ref _count, 0);
            _tombstones = 0;
        }
    }

    private static ActivationData? Find(Slot[] slots, GrainId grainId, int hash)
    {
        int mask = slots.Length - 1;
        for (int i = hash & mask, probes = 0; probes < slots.Length; i = (i + 1) & mask, probes++)
        {
            ref Slot slot = ref slots[i];
            ActivationData? activation = Volatile.Read(ref slot.Activation);
            if (activation is null)
            {
                if (!Volatile.Read(ref slot.Deleted))
                {
                    return null;
                }

                continue;
            }

            if (slot.Hash == hash && activation.GrainId == grainId)
            {
                return activation;
            }
        }

        return null;
    }

    /// <summary>Writes <paramref name="activation"/> into the first free or tombstone slot of its probe sequence (under the lock).</summary>
    private void Insert(Slot[] slots, int hash, ActivationData activation)
    {
        int mask = slots.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            ref Slot slot = ref slots[i];
            if (slot.Activation is null)
            {
                if (slot.Deleted)
                {
                    _tombstones--;
                }

                slot.Hash = hash;
                Volatile.Write(ref slot.Activation, activation);
                Volatile.Write(ref slot.Deleted, false);
                return;
            }
        }
    }

    /// <summary>Copies the live entries into a new array of <paramref name="capacity"/> slots and publishes it (under the lock).</summary>
    private void Rebuild(int capacity)
    {
        var slots = new Slot[capacity];
        int mask = capacity - 1;
        foreach (Slot old in _slots)
        {
            if (old.Activation is { } activation)
            {
                int i = old.Hash & mask;
                while (slots[i].Activation is not null)
                {
                    i = (i + 1) & mask;
                }

                slots[i] = old;
            }
        }

        _tombstones = 0;
        Volatile.Write(ref _slots, slots);
    }

    /// <summary>One slot: empty (no activation, not deleted), occupied, or a tombstone (no activation, deleted).</summary>
    private struct Slot
    {
        public ActivationData? Activation;
        public int Hash;
        public bool Deleted;
    }
}
