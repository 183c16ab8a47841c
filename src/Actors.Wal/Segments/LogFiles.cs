using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;

namespace Actors.Wal.Segments;

/// <summary>
/// Read-only access to a log directory's files without opening the log (backup, the inspection API, tests):
/// the segment list, a reader per segment (headers, every record with its offset, or the damage found) and the
/// recovery snapshot. Nothing here modifies a file or takes the lock.
/// </summary>
internal static class LogFiles
{
    /// <summary>The segment files of <paramref name="directory"/>, ordered by id.</summary>
    public static IReadOnlyList<(uint Id, string Path)> ListSegments(IFileSystem fileSystem, string directory)
    {
        var segments = new List<(uint Id, string Path)>();
        foreach (string path in fileSystem.ListFiles(directory, ".wal"))
        {
            if (SegmentHeader.TryParseFileName(System.IO.Path.GetFileName(path), out uint id))
            {
                segments.Add((id, path));
            }
        }

        segments.Sort((a, b) => a.Id.CompareTo(b.Id));
        return segments;
    }

    /// <summary>
    /// Opens a segment read-only. Dispose the returned file when done; the reader is valid while it is open.
    /// </summary>
    /// <param name="fileSystem">The file system.</param>
    /// <param name="path">The segment file.</param>
    /// <param name="segmentSizeBytes">The log's segment size (bounds the record length accepted as plausible).</param>
    public static (IWalFile File, SegmentReader Reader) OpenSegment(IFileSystem fileSystem, string path, long segmentSizeBytes)
    {
        var file = fileSystem.OpenFile(path, WalFileMode.OpenReadOnly);
        return (file, new SegmentReader(file, segmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize));
    }

    /// <summary>
    /// The segment size of the largest readable segment header in <paramref name="directory"/> (0 when there is none): a
    /// record is only plausible when it fits the segment size it was written with, so a log is opened with this size.
    /// </summary>
    public static long LargestSegmentSize(IFileSystem fileSystem, string directory)
    {
        long size = 0;
        foreach (var (_, path) in ListSegments(fileSystem, directory))
        {
            using var file = fileSystem.OpenFile(path, WalFileMode.OpenReadOnly);
            var reader = new SegmentReader(file, RecordHeader.Size);
            if (reader.ReadHeader(out var header, out _, out _) == SegmentHeaderStatus.Ok)
            {
                size = Math.Max(size, header.SegmentSizeBytes);
            }
        }

        return size;
    }

    /// <summary>
    /// Reads the recovery snapshot (merged with the delta that extends it); null with a reason when it is missing or
    /// damaged. A snapshot read with a file ignored (a stale delta) comes with that note as the reason.
    /// </summary>
    public static RecoverySnapshot? ReadSnapshot(IFileSystem fileSystem, string directory, out string? reason)
    {
        var loaded = RecoverySnapshotFiles.Load(fileSystem, directory);
        reason = loaded.Present ? loaded.Note : "missing";
        return loaded.Index;
    }
}
