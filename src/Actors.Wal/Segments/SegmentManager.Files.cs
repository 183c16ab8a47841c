namespace Actors.Wal.Segments;

internal sealed partial class SegmentManager
{
    /// <summary>
    /// Renames retired segments' files for reuse (up to <see cref="WriteAheadLogOptions.MaxRecycledSegments"/>) or deletes
    /// them. Immediately, even while a reader still holds one (its open handle keeps reading the same file); a recycled
    /// file is only reused once its last reader let go.
    /// </summary>
    private void DisposeRetired(IReadOnlyCollection<Segment> retired)
    {
        foreach (var segment in retired)
        {
            _files.ThrowIfAbandoned();

            // A file that held erased records is deleted: a recycled file keeps its bytes until it is reused.
            bool keep = _options.RecycleSegments && _recycled.Count < _options.MaxRecycledSegments && !segment.HoldsErasedData;
            if (keep)
            {
                string target = segment.Path + RecycledSuffix;
                _files.FileSystem.RenameFile(segment.Path, target);
                _recycled.Add(target, segment.WhenReleased);
            }
            else
            {
                _files.FileSystem.DeleteFile(segment.Path);
            }
        }

        _files.FileSystem.SyncDirectory(_options.Directory);
    }

    /// <summary>
    /// Deletes every file kept for reuse (an erase: a recycled file keeps its old segment's records until it is reused)
    /// and syncs the directory; returns how many. A reader still holding one keeps reading its open handle.
    /// </summary>
    public int DiscardRecycledFiles()
    {
        var paths = _recycled.TakeAll();
        foreach (string path in paths)
        {
            _files.FileSystem.DeleteFile(path);
        }

        if (paths.Count > 0)
        {
            _files.FileSystem.SyncDirectory(_options.Directory);
        }

        return paths.Count;
    }

    /// <summary>
    /// For an erase, after <see cref="DiscardRecycledFiles"/>: the ready spare, when made from a file kept for reuse, is
    /// zeroed after its header (it keeps the bytes of the segment it was). See <see cref="SparePipeline.ZeroRecycledReadySpareAsync"/>.
    /// </summary>
    public Task ZeroRecycledReadySpareAsync() => _spares.ZeroRecycledReadySpareAsync();
}
