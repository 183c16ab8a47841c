using Actors.Wal.IO;

namespace Actors.Wal.Entries.Journal;

/*
 * Opening an entry journal: the decision tree.
 *
 * 1. The directory lock is held -> LogDirectoryLockedException.
 * 2. Segments, in position order (their names). Each next segment starts where the previous one ends (a sealed segment
 *    is cut to its records and synced before the next is created; deletion removes the oldest first) -> otherwise
 *    LogCorruptedException. The first may start anywhere (older ones were deleted as obsolete).
 * 3. A segment header that is short or fails its CRC: in the last segment a crash during its creation -> deleted;
 *    elsewhere damage -> LogCorruptedException.
 * 4. Records: one that is short, runs past the file's end, is zero-filled, fails its CRC or names an unknown kind:
 *    in the last segment the torn tail of a crash or the zero-filled reserve -> cut there (synced), the bytes up to the
 *    last non-zero one reported as torn; elsewhere damage -> LogCorruptedException.
 * 5. Each valid record is applied to its log's index in journal order: an entry must follow the log's last entry (the
 *    first one seen for a log sets where it starts) with an epoch not below it -> otherwise LogCorruptedException; a
 *    truncation keeps a prefix; a reset forgets every entry.
 * After opening everything found is synced. Each log's own files are checked when it is opened (JournaledEntryLog).
 */
public sealed partial class EntryJournal
{
    /// <summary>Opens (or creates) the journal in <paramref name="options"/>.Directory, recovering it from a crash if needed.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    /// <exception cref="LogDirectoryLockedException">Another instance holds the directory.</exception>
    /// <exception cref="LogCorruptedException">A file is damaged where damage cannot be a torn tail.</exception>
    /// <exception cref="UnsupportedFormatVersionException">A segment of a newer format.</exception>
    public static EntryJournal Open(EntryJournalOptions options) => Open(options, PhysicalFileSystem.Instance);

    internal static EntryJournal Open(EntryJournalOptions options, IFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var directory = options.Directory;
        DurableFile.CreateDirectory(fileSystem, directory);
        var directoryLock = EntryLogRules.LockDirectory(fileSystem, directory, EntryJournalFormat.LockFileName);

        var segments = new List<JournalSegment>();
        try
        {
            var logs = new JournalLogTable();
            var tornBytesCut = RecoverSegments(fileSystem, directory, segments, logs);
            return new EntryJournal(fileSystem, options, directoryLock, segments, logs, tornBytesCut);
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

    private static long RecoverSegments(IFileSystem fileSystem, string directory, List<JournalSegment> segments, JournalLogTable logs)
    {
        var paths = fileSystem.ListFiles(directory, EntryJournalFormat.SegmentSuffix).Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < paths.Length; i++)
        {
            var isLast = i == paths.Length - 1;
            var file = fileSystem.OpenFile(paths[i], WalFileMode.OpenExisting);
            var header = new byte[EntryJournalFormat.SegmentHeaderSize];
            var headerBytes = file.Read(0, header);
            var firstPosition = EntryJournalFormat.TryReadSegmentHeader(header.AsSpan(0, headerBytes), paths[i]);
            if (firstPosition is null)
            {
                var tornLength = file.Length;
                file.Dispose();
                if (!isLast)
                {
                    throw new LogCorruptedException(paths[i], 0, "the journal segment header is damaged and later segments exist");
                }

                fileSystem.DeleteFile(paths[i]);
                fileSystem.SyncDirectory(directory);
                return tornLength;
            }

            if (Path.GetFileName(paths[i]) != EntryJournalFormat.SegmentFileName(firstPosition.Value)
                || (segments.Count > 0 && firstPosition.Value != segments[^1].EndPosition))
            {
                file.Dispose();
                var expected = segments.Count > 0 ? segments[^1].EndPosition.ToString(System.Globalization.CultureInfo.InvariantCulture) : "its file name's";
                throw new LogCorruptedException(paths[i], 0, $"the journal segment starts at position {firstPosition.Value} where position {expected} comes next");
            }

            var segment = new JournalSegment(file, segments.Count, firstPosition.Value);
            segments.Add(segment);
            var cut = ScanRecords(segment, isLast, logs);
            if (isLast)
            {
                return cut;
            }
        }

        return 0;
    }

    /// <summary>Applies a segment's records to the logs' indexes; returns the bytes of a torn tail cut from the last segment.</summary>
    private static long ScanRecords(JournalSegment segment, bool isLast, JournalLogTable logs)
    {
        var file = segment.File;
        var reader = new SegmentRecordReader(file, EntryJournalFormat.RecordHeaderSize, EntryJournalFormat.ReadRecordLength, EntryJournalFormat.IsValidRecord);
        var offset = (long)EntryJournalFormat.SegmentHeaderSize;
        while (offset < reader.FileLength)
        {
            if (!reader.TryRead(offset, out var record, out var tornReason))
            {
                if (!isLast)
                {
                    throw new LogCorruptedException(file.Path, offset, $"{tornReason}, in a journal segment that was synced before the next was created");
                }

                var torn = reader.CutTornTail(offset);
                SetLengths(segment, offset);
                return torn;
            }

            Apply(record, new JournalLocation(segment.Ordinal, offset, record.Length), segment.FirstPosition + offset + record.Length, logs, file.Path);
            offset += record.Length;
        }

        if (isLast)
        {
            file.Flush();
        }

        SetLengths(segment, offset);
        return 0;
    }

    private static void SetLengths(JournalSegment segment, long length)
    {
        segment.Length = length;
        segment.WrittenLength = length;
        segment.ReservedLength = length;
    }

    private static void Apply(byte[] record, JournalLocation location, long endPosition, JournalLogTable logs, string path)
    {
        var logId = EntryJournalFormat.ReadLogId(record);
        var index = logs.GetOrAdd(logId);

        var lsn = EntryJournalFormat.ReadLsn(record);
        var epoch = EntryJournalFormat.ReadEpoch(record);
        switch (EntryJournalFormat.ReadKind(record))
        {
            case JournalRecordKind.Entry:
                if (lsn < 1 || !index.TryAdd(lsn, epoch, location))
                {
                    throw new LogCorruptedException(
                        path, location.Offset, $"log {logId}'s entry {lsn} of epoch {epoch} does not follow its entry {index.EndLsn} of epoch {index.LastEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
                }

                break;
            case JournalRecordKind.Truncate:
                index.TruncateAfter(lsn, 0);
                break;
            case JournalRecordKind.Reset:
                index.Clear(lsn);
                break;
        }

        index.LastPosition = endPosition;
    }
}
