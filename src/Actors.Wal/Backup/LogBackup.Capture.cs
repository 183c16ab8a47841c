using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal;

/*
 * Capture: the backup of LogBackup.cs (steps 1-3 unchanged, so the same consistency), read into memory instead of copied
 * into a directory. Each live segment is read whole with one read per file and checked record by record in memory (a
 * sealed one must be intact up to its seal; the open one is cut after its last complete record); nothing is written or
 * fsynced. For a copy that is used at once and then dropped, such as a replica's checkpoint state: it reads each byte of
 * the log once, where a backup followed by reading the backup back writes, syncs and reads it three more times.
 */
public static partial class LogBackup
{
    /// <summary>
    /// Reads the log in <paramref name="logDirectory"/> into memory exactly as <see cref="Backup"/> would copy it (same
    /// consistency: every record acknowledged before the call, the open segment cut after its last complete record),
    /// writing nothing.
    /// </summary>
    /// <param name="logDirectory">The log directory (it may be open and busy in another process).</param>
    /// <returns>The files of the backup directory <see cref="Backup"/> would have written.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="logDirectory"/> does not exist.</exception>
    /// <exception cref="LogBackupException">The source has no readable manifest, a sealed segment is damaged, a segment is
    /// larger than one array holds (<see cref="Array.MaxLength"/> bytes), or the log kept deleting segments during
    /// <see cref="MaxAttempts"/> attempts.</exception>
    public static LogCapture Capture(string logDirectory)
    {
        string source = ExistingLogDirectory(logDirectory);
        var copy = CopyConsistently(source, entry => ReadSegment(source, entry), discardAttempt: () => { });
        var files = new List<LogCaptureFile>(copy.Segments.Count + 2);
        files.AddRange(copy.Segments.Select(segment => new LogCaptureFile(SegmentHeader.FileName(segment.Id), segment.Content)));
        if (copy.ErasureScans is not null)
        {
            files.Add(new LogCaptureFile(Maintenance.ErasureScansFile.FileName, copy.ErasureScans));
        }

        files.Add(new LogCaptureFile(SegmentManifest.FileName, SegmentManifest.Serialize(copy.Live)));
        return new LogCapture(files, copy.Segments.Count, copy.Bytes, copy.LastLsn, copy.Attempts);
    }

    /// <summary>Reads one segment into memory and keeps its complete records (as <see cref="CopySegment"/> keeps them on disk).</summary>
    private static SegmentCopy ReadSegment(string source, ManifestEntry entry)
    {
        string path = Path.Combine(source, SegmentHeader.FileName(entry.Id));
        byte[] bytes;
        int read;
        try
        {
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            long length = input.Length;
            if (length > Array.MaxLength)
            {
                throw new LogBackupException(source, $"segment {SegmentHeader.FileName(entry.Id)} holds {length} bytes, more than one array can (Array.MaxLength {Array.MaxLength}): capture needs segments of at most that size; use Backup into a directory instead");
            }

            bytes = GC.AllocateUninitializedArray<byte>((int)length);
            read = 0;
            while (read < bytes.Length && input.Read(bytes, read, bytes.Length - read) is var n && n > 0)
            {
                read += n;
            }
        }
        catch (FileNotFoundException)
        {
            return new SegmentCopy(entry.Id, 0, 0, "the file is missing");
        }

        var content = bytes.AsMemory(0, read);
        using var file = new MemoryWalFile(path, content);
        var (end, lastLsn, sealedEnd, damage) = ScanCopy(file);
        if (entry.IsSealed && sealedEnd < entry.SealedLength)
        {
            return new SegmentCopy(entry.Id, end, lastLsn, damage ?? $"the segment is sealed at {entry.SealedLength} but its records end at {end}");
        }

        // Only complete records are kept: the open segment may end in a record that was being written.
        return new SegmentCopy(entry.Id, end, lastLsn, null, content[..(int)end]);
    }
}
