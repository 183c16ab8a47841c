using Actors.Wal.Recovery;

namespace Actors.Wal.Segments;

internal sealed partial class SegmentManager
{
    /// <summary>
    /// What the manifest lists now (the <see cref="ManifestWriter"/>'s snapshot, under its write lock): the current set,
    /// the spares, the segments Salvage kept. The pipeline's spares are read before the set: a spare the writer takes in
    /// between is published into the set before it leaves the pipeline's list, so it is listed at least once (as live
    /// when it is in the set).
    /// </summary>
    private List<ManifestEntry> SnapshotManifest()
    {
        var spares = _spares.ListedSpareIds;
        lock (_lock)
        {
            // A segment is listed as live only once every segment before it is durably sealed: until then the writer may
            // have switched to it while the previous seal can still be lost, and recovery must then treat it as the
            // unused spare it may still be.
            var entries = new List<ManifestEntry>();
            bool earlierDurablySealed = true;
            foreach (var segment in _set.All)
            {
                entries.Add(earlierDurablySealed ? ToManifestEntry(segment) : new ManifestEntry(segment.Id, ManifestState.Spare, 0, 0, segment.HoldsErasedData));
                earlierDurablySealed &= segment.IsSealed && segment.DurableOffset >= segment.WrittenOffset;
            }

            foreach (uint id in spares)
            {
                if (_set.Find(id) is null)
                {
                    entries.Add(new ManifestEntry(id, ManifestState.Spare, 0, 0));
                }
            }

            foreach (uint id in _retained)
            {
                if (!entries.Exists(e => e.Id == id))
                {
                    entries.Add(new ManifestEntry(id, ManifestState.Open, 0, 0));
                }
            }

            return entries;
        }
    }

    /// <summary>Marks the segments a durable manifest lists as live (after each manifest write).</summary>
    private void MarkListed(List<ManifestEntry> entries)
    {
        var set = Current;
        foreach (var entry in entries)
        {
            if (entry.State != ManifestState.Spare && set.Find(entry.Id) is { } listed)
            {
                listed.ListedLive = true;
            }
        }
    }

    /// <summary>
    /// A sealed segment is listed as sealed (a durable claim) only once its seal is durable; until then it stays open
    /// (recovery finds the seal by scanning).
    /// </summary>
    private static ManifestEntry ToManifestEntry(Segment segment)
        => segment.IsSealed && segment.DurableOffset >= segment.WrittenOffset
            ? new ManifestEntry(segment.Id, ManifestState.Sealed, segment.WrittenOffset, segment.SealedAtTicks, segment.HoldsErasedData)
            : new ManifestEntry(segment.Id, ManifestState.Open, 0, 0, segment.HoldsErasedData);
}
