using Actors.Wal.IO;

namespace Actors.Wal.Entries;

/*
 * Opening an entry log: the decision tree.
 *
 * 1. The directory lock is held -> LogDirectoryLockedException (another process or instance owns the log). The
 *    directory holds the "journaled" marker (a log of an entry journal) -> EntryLogLayoutException.
 * 2. Epoch file: missing -> 0 (never entered an epoch); invalid -> LogCorruptedException (it is replaced atomically,
 *    so a torn one cannot occur). A left-over "epoch.tmp" is a replacement that crashed before its rename: deleted.
 * 3. Checkpoint (EntryLog.Checkpoint.cs): a left-over "checkpoint.tmp" or "checkpoint.install.tmp" is a replacement
 *    that crashed before its rename: deleted.
 *    a. "checkpoint.install" present: an install passed its commit point and crashed before finishing -> finish it
 *       (delete every segment, rename it over "checkpoint", sync the directory): the log is the new checkpoint with no
 *       entry. Invalid -> LogCorruptedException (it is written atomically).
 *    b. "checkpoint": missing -> none (the log starts at LSN 1); invalid -> LogCorruptedException (atomic replacement).
 * 4. Segments, in LSN order (their names). The first must start at or below the checkpoint's LSN + 1 (at LSN 1
 *    without a checkpoint): prefix deletion removes segments oldest first and only segments the durable checkpoint
 *    covers, so a first segment starting above it means entries are missing -> LogCorruptedException. Each next
 *    segment starts where the previous ended: truncation deletes segments newest first and appends create them in
 *    order, so a gap is damage -> LogCorruptedException. No segment left (all deleted by an install, or never written):
 *    the log ends at the checkpoint.
 * 5. A segment header that is short or fails its CRC:
 *    - in the last segment: a crash during its creation (the header is synced before any record is written) ->
 *      the file is deleted;
 *    - elsewhere: damage -> LogCorruptedException.
 * 6. Records: a record that is short, runs past the file's end, is zero-filled or fails its CRC:
 *    - in the last segment: the torn, unsynced tail of a crash, or the zero-filled reserve ahead of the last record
 *      (EntryLogOptions.ZeroFillAheadBytes) -> the file is cut there (and synced); the bytes up to the last non-zero
 *      one are reported as torn (TornBytesCutAtOpen), trailing zeros are not;
 *    - elsewhere: damage (a segment is synced before the next one is created) -> LogCorruptedException.
 *    A record that passes its CRC but carries the wrong LSN or a decreasing epoch is damage wherever it is.
 * 7. A segment other than the last holding no record is damage (segments are created for an entry).
 * 8. With a checkpoint: the log must reach its LSN and hold its epoch there (a checkpoint is written only over synced
 *    entries, and truncation never goes below it) -> otherwise LogCorruptedException (synced entries were lost).
 * After opening, everything found is synced (the cut tail included), so DurableLsn = EndLsn.
 */
public sealed partial class EntryLog
{
    /// <summary>Opens (or creates) the log in <paramref name="options"/>.Directory, recovering it from a crash if needed.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    /// <exception cref="LogDirectoryLockedException">Another instance holds the directory.</exception>
    /// <exception cref="LogCorruptedException">A file is damaged where damage cannot be a torn tail.</exception>
    /// <exception cref="UnsupportedFormatVersionException">A segment of a newer format.</exception>
    public static EntryLog Open(EntryLogOptions options) => Open(options, PhysicalFileSystem.Instance);

    internal static EntryLog Open(EntryLogOptions options, IFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var directory = options.Directory;
        DurableFile.CreateDirectory(fileSystem, directory);
        var directoryLock = EntryLogRules.LockDirectory(fileSystem, directory, EntryLogFormat.LockFileName);

        if (fileSystem.FileExists(Path.Combine(directory, EntryLogFormat.JournaledMarkerFileName)))
        {
            directoryLock.Dispose();
            throw new EntryLogLayoutException(directory, "it belongs to a log of an entry journal (its entries are records of the journal, not files of this directory)");
        }

        var segments = new List<EntryLogSegment>();
        try
        {
            var enteredEpoch = EnteredEpochFile.Read(fileSystem, directory);
            var checkpoint = RecoverCheckpoint(fileSystem, directory);
            var epochs = new List<long>();
            var tornBytesCut = RecoverSegments(fileSystem, directory, checkpoint, segments, epochs, out var firstLsn);
            CheckCheckpointCovered(directory, checkpoint, firstLsn, epochs);
            return new EntryLog(fileSystem, options, directoryLock, checkpoint, segments, firstLsn, epochs, enteredEpoch, tornBytesCut);
        }
        catch
        {
            foreach (var segment in segments)
            {
                segment.Dispose();
            }

            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>Decision 3: the checkpoint in force, an install that passed its commit point finished (every segment deleted).</summary>
    private static EntryLogCheckpoint RecoverCheckpoint(IFileSystem fileSystem, string directory)
    {
        var (checkpoint, installPending) = CheckpointFiles.Recover(fileSystem, directory);
        if (installPending)
        {
            DeleteSegmentFiles(fileSystem, directory, fileSystem.ListFiles(directory, EntryLogFormat.SegmentSuffix));
            CheckpointFiles.RenameInstallOverCheckpoint(fileSystem, directory);
        }

        return checkpoint;
    }

    /// <summary>Decision 8: the recovered log reaches the checkpoint and agrees with its epoch.</summary>
    private static void CheckCheckpointCovered(string directory, EntryLogCheckpoint checkpoint, long firstLsn, List<long> epochs)
    {
        if (checkpoint.Lsn == 0)
        {
            return;
        }

        var path = Path.Combine(directory, EntryLogFormat.CheckpointFileName);
        var endLsn = firstLsn - 1 + epochs.Count;
        if (endLsn < checkpoint.Lsn)
        {
            throw new LogCorruptedException(
                path, 0, $"the checkpoint covers entries up to LSN {checkpoint.Lsn} but the log ends at LSN {endLsn}: synced entries were lost");
        }

        if (checkpoint.Lsn >= firstLsn && epochs[checked((int)(checkpoint.Lsn - firstLsn))] is var epoch && epoch != checkpoint.Epoch)
        {
            throw new LogCorruptedException(
                path, 0, $"the checkpoint at LSN {checkpoint.Lsn} names epoch {checkpoint.Epoch} but the log holds epoch {epoch} there");
        }
    }

    /// <summary>Opens every segment in order; returns the bytes cut from the last one.</summary>
    private static long RecoverSegments(
        IFileSystem fileSystem, string directory, EntryLogCheckpoint checkpoint, List<EntryLogSegment> segments, List<long> epochs, out long firstLsn)
    {
        firstLsn = checkpoint.Lsn + 1;
        var paths = fileSystem.ListFiles(directory, EntryLogFormat.SegmentSuffix).Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < paths.Length; i++)
        {
            var isLast = i == paths.Length - 1;
            var file = fileSystem.OpenFile(paths[i], WalFileMode.OpenExisting);
            var header = new byte[EntryLogFormat.SegmentHeaderSize];
            var headerBytes = file.Read(0, header);
            var segmentFirst = EntryLogFormat.TryReadSegmentHeader(header.AsSpan(0, headerBytes), paths[i]);
            if (segmentFirst is null)
            {
                var tornLength = file.Length;
                file.Dispose();
                if (!isLast)
                {
                    throw new LogCorruptedException(paths[i], 0, "the segment header is damaged and later segments exist");
                }

                fileSystem.DeleteFile(paths[i]);
                fileSystem.SyncDirectory(directory);
                return tornLength;
            }

            var segment = new EntryLogSegment(file, segmentFirst.Value);
            segments.Add(segment);
            if (segments.Count == 1)
            {
                if (segmentFirst.Value > checkpoint.Lsn + 1 || segmentFirst.Value < 1)
                {
                    throw new LogCorruptedException(
                        paths[i], 0, $"the first segment starts at LSN {segmentFirst.Value} but the checkpoint covers only up to LSN {checkpoint.Lsn}: entries {checkpoint.Lsn + 1}..{segmentFirst.Value - 1} are missing");
                }

                firstLsn = segmentFirst.Value;
            }

            var expectedFirst = firstLsn + epochs.Count;
            if (segmentFirst.Value != expectedFirst || Path.GetFileName(paths[i]) != EntryLogFormat.SegmentFileName(segmentFirst.Value))
            {
                throw new LogCorruptedException(paths[i], 0, $"the segment starts at LSN {segmentFirst.Value} where LSN {expectedFirst} comes next");
            }

            var cut = ScanRecords(segment, isLast, firstLsn, epochs);
            if (segment.Count == 0 && !isLast)
            {
                throw new LogCorruptedException(paths[i], EntryLogFormat.SegmentHeaderSize, "a segment other than the last holds no entry");
            }

            if (isLast)
            {
                return cut;
            }
        }

        return 0;
    }


    /// <summary>
    /// Reads a segment's records; returns the bytes of a torn tail cut from the last segment (a zero-filled tail is cut
    /// too but not counted: it is the reserve of <see cref="EntryLogOptions.ZeroFillAheadBytes"/>, or zeros a crash left
    /// where unsynced bytes were never written).
    /// </summary>
    private static long ScanRecords(EntryLogSegment segment, bool isLast, long firstLsn, List<long> epochs)
    {
        var file = segment.File;
        var reader = new SegmentRecordReader(file, EntryLogFormat.RecordHeaderSize, EntryLogFormat.ReadRecordLength, EntryLogFormat.IsValidRecord);
        while (segment.Length < reader.FileLength)
        {
            var offset = segment.Length;
            if (!reader.TryRead(offset, out var bytes, out var tornReason))
            {
                if (!isLast)
                {
                    throw new LogCorruptedException(file.Path, offset, $"{tornReason}, in a segment that was synced before the next was created");
                }

                // The unsynced tail of a crash, or the zero-filled reserve (EntryLogOptions.ZeroFillAheadBytes): cut it,
                // durably, so that later appends never follow stale bytes. Only bytes up to the last non-zero one count.
                var torn = reader.CutTornTail(offset);
                segment.ReservedLength = offset;
                return torn;
            }

            var lsn = EntryLogFormat.ReadLsn(bytes);
            var epoch = EntryLogFormat.ReadEpoch(bytes);
            if (lsn != firstLsn + epochs.Count)
            {
                throw new LogCorruptedException(file.Path, offset, $"the record holds LSN {lsn} where LSN {firstLsn + epochs.Count} comes next");
            }

            if (epochs.Count > 0 && epoch < epochs[^1])
            {
                throw new LogCorruptedException(file.Path, offset, $"entry {lsn} has epoch {epoch}, below the previous entry's epoch {epochs[^1]}");
            }

            epochs.Add(epoch);
            segment.Added(bytes.Length);
        }

        if (isLast)
        {
            file.Flush();
        }

        segment.ReservedLength = segment.Length;
        return 0;
    }
}
