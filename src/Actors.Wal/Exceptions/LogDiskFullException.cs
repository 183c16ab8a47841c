namespace Actors.Wal;

/// <summary>
/// The log refused a request because the device holding its directory is full: the request needed a new segment and
/// creating or preallocating it failed with ENOSPC. Nothing of the request was stored, the log is healthy (it stays
/// open, serves reads and takes the writes that fit the active segment), and it takes writes again by itself once the
/// device has room for a segment.
/// </summary>
/// <remarks>
/// A <em>rejection</em> (<see cref="RequestRejectedException"/>): the refused request was not framed, no byte of it was
/// written, and the segment that could not be created was deleted before anything pointed at it, so the log's files are
/// exactly as they were. Contrast a failed write or fsync of records (<see cref="LogFailedException"/>, also with
/// <see cref="LogFailedException.IsDiskFull"/>): there the outcome is unknown and the log stays failed until reopened.
/// </remarks>
public sealed class LogDiskFullException : RequestRejectedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="directory">The log directory.</param>
    /// <param name="segmentPath">The segment file that could not be created.</param>
    /// <param name="segmentSizeBytes">The size it needed (<see cref="WriteAheadLogOptions.SegmentSizeBytes"/>).</param>
    /// <param name="innerException">The file system's ENOSPC error.</param>
    public LogDiskFullException(string directory, string segmentPath, long segmentSizeBytes, Exception innerException)
        : base(
            null,
            $"No space left on the device holding the log in '{directory}': creating the next segment '{segmentPath}' ({segmentSizeBytes} bytes, " +
            $"WriteAheadLogOptions.{nameof(WriteAheadLogOptions.SegmentSizeBytes)}) failed ({innerException.Message}). Nothing of this write was stored; " +
            "the log stays open for reads and takes writes again by itself once the device has room for one segment: free space on it, " +
            $"or lower {nameof(WriteAheadLogOptions.SegmentSizeBytes)} so that a segment needs less.",
            innerException)
    {
        Directory = directory;
        SegmentPath = segmentPath;
        SegmentSizeBytes = segmentSizeBytes;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>The segment file that could not be created.</summary>
    public string SegmentPath { get; }

    /// <summary>The bytes the segment needed.</summary>
    public long SegmentSizeBytes { get; }
}
