namespace Actors.Wal.Index;

/// <summary>
/// The per-stream index, in two tiers keyed by a 64-bit hash of the stream id:
/// <list type="bullet">
/// <item><description>idle: a dense array of 48-byte <see cref="StreamEntry"/> structs sorted by hash, without ids
/// (streams loaded at open or not touched since the last <see cref="DemoteAll"/>); a lookup binary-searches the hash
/// and verifies the candidate against the stream id stored in its latest record on disk;</description></item>
/// <item><description>hot: an open-addressing table (linear probing) of entries with their id string, for streams
/// used since the last demotion. A verified idle entry is promoted here.</description></item>
/// </list>
/// Entries with equal hashes (collisions) coexist in both tiers and are told apart by id. Not thread-safe: the log
/// guards it with its state lock. Slots are valid until the next <see cref="Add"/>, <see cref="Find"/> or
/// <see cref="DemoteAll"/>.
/// </summary>
internal sealed class StreamIndex
{
    private const int HotBase = 1 << 30;
    private const uint PromotedFlag = 0x100;
    private const double MaxHotLoad = 0.7;
    private StreamEntry[] _idle = [];
    private int _idleCount;
    private int _idlePromoted;
    private bool _idleSorted = true;
    private HotEntry[] _hot = new HotEntry[64];
    private int _hotCount;

    /// <summary>Streams in the index.</summary>
    public int Count => _hotCount + _idleCount - _idlePromoted;

    /// <summary>Streams in the hot tier (used since the last demotion, id string kept).</summary>
    public int HotCount => _hotCount;

    /// <summary>Bytes of the index's arrays (entries, hot table slots; id strings excluded).</summary>
    public long ArrayBytes => ((long)_idle.Length * 48) + ((long)_hot.Length * 56);

    /// <summary>
    /// Finds the slot of <paramref name="id"/>, or -1. Idle candidates with the same hash are checked with
    /// <paramref name="matchesOnDisk"/> (does the record at this position belong to <paramref name="id"/>?); a match
    /// is promoted to the hot tier.
    /// </summary>
    public int Find(ulong hash, string id, Func<long, string, bool> matchesOnDisk)
    {
        int i = Home(hash, _hot.Length);
        while (_hot[i].Entry.Hash != 0)
        {
            if (_hot[i].Entry.Hash == hash && string.Equals(_hot[i].Id, id, StringComparison.Ordinal))
            {
                return HotBase + i;
            }

            i = i + 1 == _hot.Length ? 0 : i + 1;
        }

        EnsureIdleSorted();
        for (int k = LowerBound(hash); k < _idleCount && _idle[k].Hash == hash; k++)
        {
            if ((_idle[k].Flags & PromotedFlag) == 0 && matchesOnDisk(_idle[k].LatestPosition, id))
            {
                var entry = _idle[k];
                _idle[k].Flags |= PromotedFlag;
                _idlePromoted++;
                return HotBase + InsertHot(entry, id);
            }
        }

        return -1;
    }

    /// <summary>The entry in <paramref name="slot"/>.</summary>
    public ref StreamEntry At(int slot) => ref slot >= HotBase ? ref _hot[slot - HotBase].Entry : ref _idle[slot];

    /// <summary>Adds an entry that is not present. With an id it goes to the hot tier, without one to the idle tier.</summary>
    public int Add(in StreamEntry entry, string? id)
    {
        if (id is not null)
        {
            return HotBase + InsertHot(entry, id);
        }

        if (_idleCount == _idle.Length)
        {
            Array.Resize(ref _idle, Math.Max(1024, _idle.Length * 2));
        }

        if (_idleCount > 0 && _idle[_idleCount - 1].Hash > entry.Hash)
        {
            _idleSorted = false;
        }

        _idle[_idleCount] = entry;
        return _idleCount++;
    }

    /// <summary>The slots holding entries with <paramref name="hash"/> (collisions included).</summary>
    public void CollectSlots(ulong hash, List<int> slots)
    {
        int i = Home(hash, _hot.Length);
        while (_hot[i].Entry.Hash != 0)
        {
            if (_hot[i].Entry.Hash == hash)
            {
                slots.Add(HotBase + i);
            }

            i = i + 1 == _hot.Length ? 0 : i + 1;
        }

        EnsureIdleSorted();
        for (int k = LowerBound(hash); k < _idleCount && _idle[k].Hash == hash; k++)
        {
            if ((_idle[k].Flags & PromotedFlag) == 0)
            {
                slots.Add(k);
            }
        }
    }

    /// <summary>Every occupied slot (for snapshots).</summary>
    public IEnumerable<int> OccupiedSlots()
    {
        for (int k = 0; k < _idleCount; k++)
        {
            if ((_idle[k].Flags & PromotedFlag) == 0)
            {
                yield return k;
            }
        }

        for (int i = 0; i < _hot.Length; i++)
        {
            if (_hot[i].Entry.Hash != 0)
            {
                yield return HotBase + i;
            }
        }
    }

    /// <summary>
    /// Moves every entry into the dense, sorted idle tier and forgets the id strings (after recovery, and at a
    /// snapshot once the hot tier is large): memory per stream returns to 48 bytes; the next use of a stream verifies it on disk once.
    /// </summary>
    public void DemoteAll()
    {
        var merged = new StreamEntry[Count];
        int n = 0;
        for (int k = 0; k < _idleCount; k++)
        {
            if ((_idle[k].Flags & PromotedFlag) == 0)
            {
                merged[n++] = _idle[k];
            }
        }

        foreach (ref readonly HotEntry h in _hot.AsSpan())
        {
            if (h.Entry.Hash != 0)
            {
                merged[n++] = h.Entry;
            }
        }

        Array.Sort(merged, static (a, b) => a.Hash.CompareTo(b.Hash));
        _idle = merged;
        _idleCount = n;
        _idlePromoted = 0;
        _idleSorted = true;
        _hot = new HotEntry[64];
        _hotCount = 0;
    }

    private static int Home(ulong hash, int length) => (int)(((UInt128)hash * (ulong)length) >> 64);

    private static int InsertInto(HotEntry[] table, in StreamEntry entry, string id)
    {
        int i = Home(entry.Hash, table.Length);
        while (table[i].Entry.Hash != 0)
        {
            i = i + 1 == table.Length ? 0 : i + 1;
        }

        table[i] = new HotEntry { Entry = entry, Id = id };
        return i;
    }

    private int InsertHot(in StreamEntry entry, string id)
    {
        if (_hotCount + 1 > _hot.Length * MaxHotLoad)
        {
            var next = new HotEntry[_hot.Length * 2];
            foreach (ref readonly HotEntry h in _hot.AsSpan())
            {
                if (h.Entry.Hash != 0)
                {
                    InsertInto(next, h.Entry, h.Id!);
                }
            }

            _hot = next;
        }

        _hotCount++;
        return InsertInto(_hot, entry, id);
    }

    private void EnsureIdleSorted()
    {
        if (!_idleSorted)
        {
            Array.Sort(_idle, 0, _idleCount, Comparer<StreamEntry>.Create(static (a, b) => a.Hash.CompareTo(b.Hash)));
            _idleSorted = true;
        }
    }

    private int LowerBound(ulong hash)
    {
        int lo = 0;
        int hi = _idleCount;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_idle[mid].Hash < hash)
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

    private struct HotEntry
    {
        public StreamEntry Entry;
        public string? Id;
    }
}
