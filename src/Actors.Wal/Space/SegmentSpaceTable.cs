namespace Actors.Wal.Space;

/// <summary>
/// The live bytes of each segment: the sum of the live runs (<see cref="Index.StreamEntry"/>) of every stream there.
/// A sealed segment whose live bytes reach zero holds nothing any stream needs.
/// </summary>
/// <remarks>
/// Maintained incrementally from the deltas <see cref="Index.StreamEntry.Apply"/> reports (O(1) per record plus the
/// runs a record ends), so neither a group commit nor <see cref="WriteAheadLog.GetStatistics"/> costs more as the log
/// ages or grows. Not thread-safe: the owner serializes access.
/// </remarks>
internal sealed class SegmentSpaceTable : ISpaceAccount
{
    private readonly Dictionary<uint, long> _live = [];

    /// <inheritdoc />
    public void AddLive(uint segmentId, long delta)
    {
        ref long live = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_live, segmentId, out _);
        live += delta;
    }

    /// <summary>The live bytes of <paramref name="segmentId"/>.</summary>
    public long LiveBytes(uint segmentId) => _live.GetValueOrDefault(segmentId);

    /// <summary>Forgets a deleted segment.</summary>
    public void Remove(uint segmentId) => _live.Remove(segmentId);

    /// <summary>Forgets everything (before a full recomputation).</summary>
    public void Clear() => _live.Clear();

    /// <summary>Every (segment, live bytes) pair.</summary>
    public IEnumerable<KeyValuePair<uint, long>> Entries => _live;
}

/// <summary>Collects live-byte deltas to apply later (the writer's tentative group, applied when the group commits).</summary>
internal sealed class SpaceDeltas : ISpaceAccount
{
    private readonly List<(uint Segment, long Delta)> _deltas = [];

    /// <inheritdoc />
    public void AddLive(uint segmentId, long delta) => _deltas.Add((segmentId, delta));

    /// <summary>Adds every collected delta to <paramref name="target"/>.</summary>
    public void ApplyTo(ISpaceAccount target)
    {
        foreach (var (segment, delta) in _deltas)
        {
            target.AddLive(segment, delta);
        }
    }

    /// <summary>Forgets the collected deltas.</summary>
    public void Clear() => _deltas.Clear();
}
