using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal;

/*
 * Online backup of a log directory, safe while a process appends, compacts and deletes segments in it (no lock is
 * taken and nothing in the source is modified):
 *   1. Read segments.manifest: the live segments, and the listed spares above them that are found under their segment
 *      name (the writer renames a spare when it takes it into use, after writing the seal of the segment before; the
 *      committer acknowledges records in it before the background manifest write lists it as live): copied as open
 *      segments. Every acknowledged record is in one of these, so the backup holds every record acknowledged before
 *      this read: that is the backup point.
 *   2. Copy each live segment (spares hold nothing acknowledged and are skipped), then validate the copy record by
 *      record: a sealed segment must be intact up to its seal; the open segment is cut after its last complete record
 *      (a record being written during the copy can be half there; what follows it is never kept, so the copy is a
 *      prefix of the log).
 *   3. Read the manifest again. A segment no longer listed may have been deleted or recycled (zeroed and reused) while
 *      it was copied: start again (bounded). A segment still listed was not touched: the manager drops a segment from
 *      the manifest before its file goes, so damage in its copy is damage in the log (reported, never copied).
 *   4. Write the manifest of step 1 (without spares, erase marks kept, so a restored log still compacts erased bytes
 *      away) and fsync every file and the directory. index.snapshot is not copied: the restored log scans everything.
 *      erasure.scans (erases whose search for left-behind copies is pending), read just before step 1, is copied too,
 *      so the restored log still searches for them; restore and point-in-time restore copy it on.
 */

/// <summary>
/// Online backup and restore of a log directory (see the block comment above for why the copy is consistent). A
/// backup is itself a log directory that <c>WriteAheadLog.OpenAsync</c> could open; restore copies it into an
/// empty directory and opens it once, so that recovery checks every record before the directory is used.
/// </summary>
/// <remarks>Thread safety: each call works on its own directories. The source log may be open in any process.</remarks>
public static partial class LogBackup
{
    /// <summary>How many times a backup starts again because segments were deleted while it copied them.</summary>
    public const int MaxAttempts = 16;

    private const int CopyBufferSize = 1024 * 1024;

    /// <summary>Copies the log in <paramref name="logDirectory"/> into the new or empty <paramref name="backupDirectory"/>.</summary>
    /// <param name="logDirectory">The log directory (it may be open and busy in another process).</param>
    /// <param name="backupDirectory">Where the backup goes: created when missing, and must be empty.</param>
    /// <returns>What was copied, with the newest LSN in the backup (its backup point is at least every record acknowledged before the call).</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="logDirectory"/> does not exist.</exception>
    /// <exception cref="LogBackupException">The source has no readable manifest, a sealed segment is damaged, the backup directory is not empty, or the log kept deleting segments during <see cref="MaxAttempts"/> attempts.</exception>
    public static LogBackupResult Backup(string logDirectory, string backupDirectory) => Copy(logDirectory, backupDirectory, afterFileWritten: null);

    /// <summary>
    /// <see cref="Backup(string, string)"/> with a hook called after each file of the backup is written and fsynced (crash
    /// tests throw from it to stop the backup at that point, as a killed process would).
    /// </summary>
    internal static LogBackupResult Copy(string logDirectory, string backupDirectory, Action<string>? afterFileWritten)
    {
        string source = ExistingLogDirectory(logDirectory);
        string target = Path.GetFullPath(backupDirectory);
        PrepareEmptyDirectory(target, "backup");
        var copy = CopyConsistently(
            source,
            entry =>
            {
                var segment = CopySegment(source, target, entry);
                afterFileWritten?.Invoke(Path.Combine(target, SegmentHeader.FileName(entry.Id)));
                return segment;
            },
            discardAttempt: () =>
            {
                foreach (string file in Directory.GetFiles(target))
                {
                    File.Delete(file);
                }
            });
        if (copy.ErasureScans is not null)
        {
            WriteDurably(Path.Combine(target, Maintenance.ErasureScansFile.FileName), copy.ErasureScans);
        }

        // The manifest last: a backup stopped before it has none, and restore refuses it (never a partial log).
        WriteDurably(Path.Combine(target, SegmentManifest.FileName), SegmentManifest.Serialize(copy.Live));
        afterFileWritten?.Invoke(Path.Combine(target, SegmentManifest.FileName));
        PhysicalFileSystem.Instance.SyncDirectory(target);
        return new LogBackupResult(target, copy.Segments.Count, copy.Bytes, copy.LastLsn, copy.Attempts);
    }

    /// <summary>The full path of <paramref name="logDirectory"/>, which must exist.</summary>
    private static string ExistingLogDirectory(string logDirectory)
    {
        string source = Path.GetFullPath(logDirectory);
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"The log directory '{source}' does not exist.");
        }

        return source;
    }

    /// <summary>
    /// Steps 1-3 of the block comment above: copies every live segment with <paramref name="copySegment"/> (in manifest
    /// order), starting again after <paramref name="discardAttempt"/> when the log deleted a segment under the copy.
    /// </summary>
    private static ConsistentCopy CopyConsistently(string source, Func<ManifestEntry, SegmentCopy> copySegment, Action discardAttempt)
    {
        for (int attempt = 1; ; attempt++)
        {
            // Erases whose search for left-behind copies is pending: read before the manifest, so a search that completes
            // meanwhile has its marks in the manifest read next, and one still pending travels with the backup.
            byte[]? erasureScans = ReadIfPresent(Path.Combine(source, Maintenance.ErasureScansFile.FileName));
            var live = LiveSegments(source, ReadManifest(source));
            var copies = new List<SegmentCopy>(live.Count);
            foreach (var entry in live)
            {
                copies.Add(copySegment(entry));
            }

            // A segment still listed now was listed during its whole copy (the manager drops a segment from the manifest
            // before its file is deleted or recycled): its copy is what the log holds. Damage in such a copy is damage in
            // the log. A segment that left the manifest may have been deleted or zeroed for reuse under the copy.
            var listed = ReadManifest(source).Segments.Select(s => s.Id).ToHashSet();
            if (copies.Find(c => c.Damage is not null && listed.Contains(c.Id)) is { Damage: { } damage } damaged)
            {
                throw new LogBackupException(source, $"segment {SegmentHeader.FileName(damaged.Id)} is damaged at offset {damaged.Length}: {damage}; the log itself needs attention (see actors-wal validate)");
            }

            if (copies.Any(c => !listed.Contains(c.Id)))
            {
                discardAttempt();
                if (attempt == MaxAttempts)
                {
                    throw new LogBackupException(source, $"the log deleted segments while they were copied during each of {MaxAttempts} attempts; retry when compaction is quieter");
                }

                continue;
            }

            return new ConsistentCopy(live, copies, erasureScans, attempt);
        }
    }

    /// <summary>
    /// The segments to copy: those the manifest lists as live, then, in id order, each listed spare above them whose file
    /// already carries its segment name (taken into use: its records may be acknowledged), as an open segment.
    /// </summary>
    private static List<ManifestEntry> LiveSegments(string source, SegmentManifest manifest)
    {
        var live = manifest.Segments.Where(s => s.State != ManifestState.Spare).ToList();
        uint last = live.Count > 0 ? live.Max(s => s.Id) : 0;
        foreach (var spare in manifest.Segments.Where(s => s.State == ManifestState.Spare && s.Id > last).OrderBy(s => s.Id))
        {
            if (!File.Exists(Path.Combine(source, SegmentHeader.FileName(spare.Id))))
            {
                break;
            }

            live.Add(spare with { State = ManifestState.Open, SealedLength = 0, SealedAtTicks = 0 });
        }

        return live;
    }

    /// <summary>
    /// Copies one segment, keeps its complete records only, and fsyncs the copy. A sealed segment's copy must be intact up
    /// to its seal: otherwise the result carries the damage (a missing file counts as damage at offset 0).
    /// </summary>
    private static SegmentCopy CopySegment(string source, string target, ManifestEntry entry)
    {
        string name = SegmentHeader.FileName(entry.Id);
        string to = Path.Combine(target, name);
        try
        {
            using var input = new FileStream(Path.Combine(source, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, CopyBufferSize);
            using var output = new FileStream(to, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize);
            input.CopyTo(output, CopyBufferSize);
        }
        catch (FileNotFoundException)
        {
            return new SegmentCopy(entry.Id, 0, 0, "the file is missing");
        }

        long end;
        long lastLsn;
        long sealedEnd;
        string? damage;
        using (var copied = PhysicalFileSystem.Instance.OpenFile(to, WalFileMode.OpenReadOnly))
        {
            (end, lastLsn, sealedEnd, damage) = ScanCopy(copied);
        }

        if (entry.IsSealed && sealedEnd < entry.SealedLength)
        {
            return new SegmentCopy(entry.Id, end, lastLsn, damage ?? $"the segment is sealed at {entry.SealedLength} but its records end at {end}");
        }

        using (var output = new FileStream(to, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            // Only complete records are kept: the open segment's copy may end in a record that was being written.
            output.SetLength(end);
            output.Flush(flushToDisk: true);
        }

        return new SegmentCopy(entry.Id, end, lastLsn, null);
    }

    /// <summary>Reads a copied segment: the end of its complete records, the newest LSN among them, the end of its seal (-1: none) and what stopped the scan.</summary>
    private static (long End, long LastLsn, long SealedEnd, string? Damage) ScanCopy(IWalFile file)
    {
        var probe = new SegmentReader(file, RecordHeader.Size);
        if (probe.ReadHeader(out var header, out _, out _) is var status && status != SegmentHeaderStatus.Ok)
        {
            return (0, 0, -1, $"the segment header is not valid ({status})");
        }

        var reader = new SegmentReader(file, header.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize);
        long offset = SegmentHeader.Size;
        long lastLsn = 0;
        while (true)
        {
            switch (reader.ReadAt(offset, out var record))
            {
                case ScanStatus.Record when record.Header.Type == RecordType.Seal:
                    return (offset + record.Header.Length, lastLsn, offset + record.Header.Length, null);
                case ScanStatus.Record:
                    lastLsn = Math.Max(lastLsn, record.Header.LastLsn);
                    offset += record.Header.Length;
                    break;
                case ScanStatus.Damaged when header.RecordSalt != 0 && reader.FindNextValidRecord(offset) < 0:
                    // A salted (recycled) segment's records end where bytes stop validating: what follows is an earlier
                    // incarnation's, or the record being written when the file was copied.
                    return (offset, lastLsn, -1, null);
                case ScanStatus.Damaged:
                    return (offset, lastLsn, -1, record.Damage);
                default:
                    return (offset, lastLsn, -1, null);
            }
        }
    }

    private static SegmentManifest ReadManifest(string directory)
    {
        string path = Path.Combine(directory, SegmentManifest.FileName);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new LogBackupException(directory, $"it has no {SegmentManifest.FileName} (not a log directory, or written by an engine older than the manifest: open it once with this engine first)", ex);
        }

        return SegmentManifest.TryParse(bytes, out string? reason, out _, out _)
            ?? throw new LogBackupException(directory, $"its {SegmentManifest.FileName} cannot be read ({reason})");
    }

    private static void PrepareEmptyDirectory(string directory, string role)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new LogBackupException(directory, $"the {role} directory must be empty or missing");
        }

        Directory.CreateDirectory(directory);
    }

    /// <summary>The bytes of <paramref name="path"/>, or null when there is no such file.</summary>
    private static byte[]? ReadIfPresent(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Copies the pending erasure scans of a backup, if it has any, into a restored directory.</summary>
    private static void CopyErasureScans(string source, string target)
    {
        if (ReadIfPresent(Path.Combine(source, Maintenance.ErasureScansFile.FileName)) is { } scans)
        {
            WriteDurably(Path.Combine(target, Maintenance.ErasureScansFile.FileName), scans);
        }
    }

    private static void WriteDurably(string path, byte[] bytes)
    {
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        output.Write(bytes);
        output.Flush(flushToDisk: true);
    }

    /// <summary>
    /// One segment as copied: <c>Length</c> bytes of complete records (or, with <c>Damage</c>, where the damage starts); the
    /// bytes themselves in <c>Content</c> when copied into memory (<see cref="Capture"/>), else empty.
    /// </summary>
    private readonly record struct SegmentCopy(uint Id, long Length, long LastLsn, string? Damage, ReadOnlyMemory<byte> Content = default);

    /// <summary>A consistent copy of a log's live segments (<c>Live</c> as the manifest to write) and its pending erasure scans.</summary>
    private sealed record ConsistentCopy(List<ManifestEntry> Live, List<SegmentCopy> Segments, byte[]? ErasureScans, int Attempts)
    {
        public long Bytes => Segments.Sum(c => c.Length);

        public long LastLsn => Segments.Count == 0 ? 0 : Segments.Max(c => c.LastLsn);
    }
}
