using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Segments;

namespace Actors.Wal.Tool;

/// <summary>Opens a log directory with options matching how it was written.</summary>
internal static class LogOpener
{
    /// <summary>
    /// Opens <paramref name="directory"/>. <paramref name="readOnly"/> opens without the lock and refuses every write
    /// (nothing on disk changes, a torn tail is reported, not truncated); otherwise the lock is taken.
    /// </summary>
    /// <remarks>
    /// The segment size comes from the largest readable segment header (the default when there is none): a record is only plausible when it fits the
    /// segment size it was written with, so opening with a smaller default would misread large records as damage.
    /// </remarks>
    public static ValueTask<WriteAheadLog> OpenAsync(string directory, bool readOnly, RecoveryMode mode, CancellationToken cancellationToken, double compactionLiveRatio = WriteAheadLogOptions.DefaultCompactionLiveRatio)
    {
        string dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"The log directory '{dir}' does not exist.");
        }

        long segmentSize = Math.Clamp(LogFiles.LargestSegmentSize(PhysicalFileSystem.Instance, dir) is > 0 and var largest ? largest : WriteAheadLogOptions.DefaultSegmentSizeBytes, WriteAheadLogOptionsValidator.MinSegmentSizeBytes, int.MaxValue);
        var options = new WriteAheadLogOptions
        {
            Directory = dir,
            ReadOnly = readOnly,
            RecoveryMode = mode,
            CompactionLiveRatio = compactionLiveRatio,
            SegmentSizeBytes = segmentSize,
            MaxRecordSizeBytes = (int)Math.Min(WriteAheadLogOptions.DefaultMaxRecordSizeBytes, segmentSize / 2),
        };
        return WriteAheadLog.OpenAsync(options, cancellationToken: cancellationToken);
    }
}
