namespace Actors.Wal.Space;

/// <summary>
/// Which streams have records in one segment, with their highest event version and bytes (merged per stream-id
/// hash: a hash collision only makes the accounting more conservative). Used to decide liveness without reading
/// the segment. Open (a dictionary) while the segment is written; <see cref="Freeze"/> turns it into two dense
/// sorted arrays (24 bytes per stream) once the segment is sealed.
/// </summary>
internal sealed class SegmentSummary
{
    private Dictionary<ulong, SummaryItem>? _open = [];
    private ulong[] _hashes = [];
    private SummaryItem[] _items = [];

    /// <summary>Stream hashes with records in the segment.</summary>
    public int Count => _open?.Count ?? _hashes.Length;

    /// <summary>Bytes of stream records in the segment (header and seal excluded).</summary>
    public long RecordBytes { get; private set; }

    /// <summary>Live bytes as of the last computation.</summary>
    public long LiveBytes { get; set; }

    /// <summary>Adds a record.</summary>
    public void Add(ulong hash, long maxEventVersion, long bytes)
    {
        if (_open is null)
        {
            Thaw();
        }

        _open!.TryGetValue(hash, out var item);
        _open[hash] = new SummaryItem(Math.Max(item.MaxEventVersion, maxEventVersion), item.Bytes + bytes);
        RecordBytes += bytes;
    }

    /// <summary>The item of <paramref name="hash"/>, if the segment has records of it.</summary>
    public bool TryGet(ulong hash, out SummaryItem item)
    {
        if (_open is not null)
        {
            return _open.TryGetValue(hash, out item);
        }

        int i = Array.BinarySearch(_hashes, hash);
        item = i >= 0 ? _items[i] : default;
        return i >= 0;
    }

    /// <summary>Every (hash, item) pair.</summary>
    public IEnumerable<(ulong Hash, SummaryItem Item)> Entries()
    {
        if (_open is not null)
        {
            foreach (var (hash, item) in _open)
            {
                yield return (hash, item);
            }

            yield break;
        }

        for (int i = 0; i < _hashes.Length; i++)
        {
            yield return (_hashes[i], _items[i]);
        }
    }

    /// <summary>Compacts the summary into sorted arrays (the segment is sealed: no more records arrive).</summary>
    public void Freeze()
    {
        if (_open is null)
        {
            return;
        }

        _hashes = [.. _open.Keys];
        _items = [.. _open.Values];
        Array.Sort(_hashes, _items);
        _open = null;
    }

    private void Thaw()
    {
        _open = new Dictionary<ulong, SummaryItem>(_hashes.Length);
        for (int i = 0; i < _hashes.Length; i++)
        {
            _open[_hashes[i]] = _items[i];
        }

        _hashes = [];
        _items = [];
    }
}

/// <summary>One stream's footprint in a segment.</summary>
/// <param name="MaxEventVersion">The highest event version of the stream in the segment (0 when only checkpoints/tombstones).</param>
/// <param name="Bytes">Bytes of the stream's records in the segment.</param>
internal readonly record struct SummaryItem(long MaxEventVersion, long Bytes);
