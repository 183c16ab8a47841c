namespace Actors.Wal.Maintenance;

// What an erase leaves for the space passes: the segments it marks and its durable erasure scans (methods only: the
// state is in LogMaintenance.cs; the scans run in LogMaintenance.Space.cs, the pass is timed in LogMaintenance.EraseWindow.cs).
internal sealed partial class LogMaintenance
{
    /// <summary>
    /// Marks the segments an erase left records in (any thread): they are compacted and deleted (never recycled) by the
    /// next passes, whatever their live ratio and retention. The active segment is marked too and follows once sealed.
    /// </summary>
    public void MarkErased(IEnumerable<uint> segmentIds)
    {
        var current = _segments.Current;
        foreach (uint id in segmentIds)
        {
            if (current.Find(id) is { } segment)
            {
                segment.HoldsErasedData = true;
            }
        }
    }

    /// <summary>
    /// Records durably (before the erase writes its copy) what an erase or checkpoint deletion removed, so the next space
    /// pass searches every segment for copies the stream's chain no longer reaches and marks the segments holding them.
    /// Any thread.
    /// </summary>
    /// <exception cref="IOException">The pending scans could not be written; the caller erases nothing.</exception>
    public void AddErasureScan(ErasureScan scan)
    {
        lock (_erasureScans)
        {
            _erasureScans.Add(scan);
            ErasureScansFile.Write(_fileSystem, _options.Directory, _erasureScans);
        }
    }

    /// <summary>
    /// At open: restores the scans an earlier run left pending and asks for a pass. When their file is damaged, what was
    /// erased is unknown: every segment is marked (durably) instead, so the next passes compact them all.
    /// </summary>
    public void RestoreErasureScans()
    {
        var scans = ErasureScansFile.Load(_fileSystem, _options.Directory, out string? note);
        if (scans is null)
        {
            LogErasureScansDamaged(note!);
            MarkErased(_segments.Current.All.Select(s => s.Id));
            _segments.WriteManifest();
            _segments.DiscardRecycledFiles();
            ErasureScansFile.Write(_fileSystem, _options.Directory, []);
            RequestErasePass();
            return;
        }

        if (scans.Count > 0)
        {
            lock (_erasureScans)
            {
                _erasureScans.AddRange(scans);
            }

            RequestErasePass();
        }
    }
}
