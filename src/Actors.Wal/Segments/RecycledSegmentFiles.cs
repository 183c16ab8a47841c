using Actors.Wal.IO;

namespace Actors.Wal.Segments;

/// <summary>
/// The files of deleted segments kept for reuse as spares (renamed with <see cref="SegmentManager.RecycledSuffix"/>), in
/// the order they were kept, each with the task that completes once the last reader of its old segment let go.
/// </summary>
/// <remarks>Thread-safe: maintenance adds, the spare pipeline takes, an erase discards.</remarks>
internal sealed class RecycledSegmentFiles
{
    private readonly Lock _lock = new();
    private readonly Queue<(string Path, Task Released)> _files = new();

    /// <summary>How many files are kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _files.Count;
            }
        }
    }

    /// <summary>Keeps <paramref name="path"/> for reuse once <paramref name="released"/> completes.</summary>
    public void Add(string path, Task released)
    {
        lock (_lock)
        {
            _files.Enqueue((path, released));
        }
    }

    /// <summary>The oldest kept file if no reader of its old segment holds it any more (it is then the caller's); else null.</summary>
    public string? TryTakeReleased()
    {
        lock (_lock)
        {
            return _files.TryPeek(out var candidate) && candidate.Released.IsCompleted ? _files.Dequeue().Path : null;
        }
    }

    /// <summary>Takes every kept file (they are then the caller's).</summary>
    public List<string> TakeAll()
    {
        lock (_lock)
        {
            List<string> paths = [.. _files.Select(f => f.Path)];
            _files.Clear();
            return paths;
        }
    }

    /// <summary>
    /// The recycled files the previous process left (recovery): the first <see cref="WriteAheadLogOptions.MaxRecycledSegments"/>
    /// by name are kept when recycling is on; the rest are deleted (nothing is deleted when <paramref name="readOnly"/>).
    /// </summary>
    public static List<string> FindLeftOver(IFileSystem fileSystem, WriteAheadLogOptions options, bool readOnly)
    {
        var kept = new List<string>();
        foreach (string path in fileSystem.ListFiles(options.Directory, SegmentManager.RecycledSuffix).Order(StringComparer.Ordinal))
        {
            if (!readOnly && options.RecycleSegments && kept.Count < options.MaxRecycledSegments)
            {
                kept.Add(path);
            }
            else if (!readOnly)
            {
                fileSystem.DeleteFile(path);
            }
        }

        return kept;
    }
}
