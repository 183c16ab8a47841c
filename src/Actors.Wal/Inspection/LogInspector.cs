using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal.Inspection;

/// <summary>
/// Read-only inspection and verification of a log directory without opening the log: what the <c>actors-wal</c> tool
/// and operators' scripts need. <see cref="Verify"/> reads every segment from its first record with the same segment
/// reader and the same torn-tail rule recovery uses; <see cref="ReadRecords"/> enumerates the records themselves.
/// </summary>
/// <remarks>
/// <para>
/// Nothing here creates, truncates, renames or deletes a file, writes a byte or takes the directory's lock: it may run
/// while a process has the log open. It then reads the prefix present when each file is read: the end of the active
/// segment may be an append in flight (reported as a torn tail), and a segment a space pass deletes during the read is
/// reported as an I/O error. Against such a directory, read again before believing a finding.
/// </para>
/// <para>
/// The classification is recovery's (<see cref="WriteAheadLog.OpenAsync(WriteAheadLogOptions, Microsoft.Extensions.Logging.ILoggerFactory?, TimeProvider?, System.Threading.CancellationToken)"/>):
/// the segments read are those opening the log would use (the manifest's live segments and the spares the writer took
/// into use); damage is a <see cref="LogFindingKind.TornTail"/> only in the last segment, with no valid record after it
/// and below no durable position the recovery snapshot or the manifest records; anything else is
/// <see cref="LogFindingKind.Corruption"/>, named by segment and offset.
/// </para>
/// <para>Thread-safety: every method is static and keeps no state between calls.</para>
/// </remarks>
public static class LogInspector
{
    /// <summary>Reads every segment of the log in <paramref name="directory"/> and reports what it holds and what is damaged.</summary>
    /// <param name="directory">The log directory.</param>
    /// <param name="progress">Called on the calling thread with (bytes read, bytes to read) as segments are read; may be null.</param>
    /// <returns>The report; a clean log has no <see cref="LogVerification.Findings"/>. Damage is reported, never thrown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="IOException">A file could not be read (for example deleted by a running process during the read).</exception>
    public static LogVerification Verify(string directory, Action<long, long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return new VerificationRun(directory).Verify(progress);
    }

    /// <summary>
    /// Enumerates the valid stream records of the log in <paramref name="directory"/> in log order (segment, then offset),
    /// from the segments opening the log would use; seals, damaged locations and segments with an unreadable header are
    /// skipped (<see cref="Verify"/> reports them). Every record present is returned, live or not: the history a
    /// checkpoint covers and records a space pass would reclaim included.
    /// </summary>
    /// <param name="directory">The log directory.</param>
    /// <returns>A lazy sequence: files are read as it is enumerated, one segment open at a time.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="IOException">A file could not be read while enumerating.</exception>
    public static IEnumerable<InspectedRecord> ReadRecords(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return new VerificationRun(directory).ReadRecords();
    }

    /// <summary>True when <paramref name="directory"/> holds a log's files: a segment file, the recovery snapshot, the manifest or the <c>LOCK</c> file.</summary>
    /// <param name="directory">An existing directory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is null.</exception>
    public static bool IsLogDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return File.Exists(Path.Combine(directory, RecoverySnapshot.FileName))
            || File.Exists(Path.Combine(directory, SegmentManifest.FileName))
            || File.Exists(Path.Combine(directory, WriteAheadLog.LockFileName))
            || Directory.EnumerateFiles(directory, "*.wal").Any(f => SegmentHeader.TryParseFileName(Path.GetFileName(f), out _));
    }

    /// <summary>
    /// True when the lock file <paramref name="lockFilePath"/> exists and a process holds its exclusive lock. The probe opens
    /// the existing file for reading with a shared lock and closes it at once; it never creates or writes the file.
    /// </summary>
    /// <param name="lockFilePath">A lock file, such as a log directory's <see cref="WriteAheadLog.LockFileName"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lockFilePath"/> is null.</exception>
    public static bool IsLockHeld(string lockFilePath)
    {
        ArgumentNullException.ThrowIfNull(lockFilePath);
        return LockProbe.IsLocked(Path.GetDirectoryName(Path.GetFullPath(lockFilePath))!, Path.GetFileName(lockFilePath));
    }

    /// <summary>
    /// The segment size recorded in the largest readable segment header of <paramref name="directory"/>, or 0 when no
    /// header is readable. A record is only plausible when it fits the segment size it was written with: open a log whose
    /// writer's options are unknown with at least this size.
    /// </summary>
    /// <param name="directory">The log directory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is null.</exception>
    public static long LargestSegmentSizeBytes(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return LogFiles.LargestSegmentSize(PhysicalFileSystem.Instance, directory);
    }

    /// <summary>
    /// The bytes the segment files (<c>*.wal</c>) of <paramref name="directory"/> occupy on disk: allocated blocks, so
    /// preallocated space counts and sparse space does not (file lengths where the platform does not say).
    /// </summary>
    /// <param name="directory">The log directory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is null.</exception>
    public static long AllocatedSegmentBytes(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Directory.GetFiles(directory, "*.wal", SearchOption.TopDirectoryOnly).Sum(DiskUsage.AllocatedBytes);
    }
}
