using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal;

/*
 * Point-in-time restore. A log is append-only: its records in log order (segment id, then offset) up to some position
 * are exactly what the log held when the record at that position was written, provided no segment that held any of
 * them was deleted since. So:
 *   1. Find the cut: the first record past the point (an Events, Checkpoint or Tombstone record whose last LSN is above
 *      the point's LSN: a batch that straddles it is left out whole, batches are atomic; or any record whose time is
 *      after the point's time).
 *   2. Refuse unless the backup holds every segment from the log's first (id 1) up to the cut's: space management
 *      deletes segments (dead ones, compacted ones, erased ones) and the copies it made of their live records lie after
 *      the cut, so a prefix with a hole may lack records the log needed at the point; a stream whose newest records
 *      were there would come back older or empty, in silence. A deleted segment leaves no trace of when it went, so
 *      any hole below the cut is refused, naming the segments.
 *   3. Copy the segments before the cut's whole, the cut's segment up to the cut (it becomes the open segment), write
 *      a manifest of them (the cut's segment open; erase marks kept), fsync, and open the log once with
 *      AbsoluteConsistency, as a plain restore does.
 */
public static partial class LogBackup
{
    /// <summary>First segment id of every log (segments are numbered from 1 and never reused).</summary>
    private const uint FirstSegmentId = 1;

    /// <summary>
    /// Restores a backup made by <see cref="Backup"/> into the new or empty <paramref name="logDirectory"/> as the log was
    /// at <paramref name="point"/>: every record up to it, nothing after it (see the block comment above). A point at or
    /// after the backup's end restores everything.
    /// </summary>
    /// <param name="backupDirectory">A backup directory.</param>
    /// <param name="logDirectory">Where the log goes: created when missing, and must be empty.</param>
    /// <param name="point">Where to stop.</param>
    /// <param name="encryption">The keys of an encrypted log (see <see cref="RestoreAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>What the restored log holds (its <see cref="LogRestoreResult.LastLsn"/> is the newest LSN kept).</returns>
    /// <exception cref="LogBackupException">The point is below what space management reclaimed (a segment the log held up to
    /// the point is no longer in the backup: the message names it; nothing is written), the backup has no readable manifest
    /// or misses a segment it lists, or the target is not empty.</exception>
    /// <exception cref="LogCorruptedException">A record of the backup is damaged.</exception>
    public static async Task<LogRestoreResult> RestoreToPointAsync(
        string backupDirectory, string logDirectory, RestorePoint point, Encryption.IEncryptionKeyProvider? encryption = null, CancellationToken cancellationToken = default)
    {
        var (source, manifest) = ReadBackup(backupDirectory);
        string target = Path.GetFullPath(logDirectory);
        var segments = manifest.Segments.Where(s => s.State != ManifestState.Spare).OrderBy(s => s.Id).ToList();

        var (cutSegment, cutOffset) = FindCut(source, segments, point);
        var kept = segments.Where(s => s.Id <= cutSegment).ToList();
        var holes = Enumerable.Range((int)FirstSegmentId, (int)Math.Max(0, cutSegment - FirstSegmentId + 1))
            .Select(i => (uint)i)
            .Except(kept.Select(s => s.Id))
            .ToList();
        if (holes.Count > 0)
        {
            throw new LogBackupException(
                source,
                $"restoring to {point} needs every segment the log held up to then, but {DescribeHoles(holes)} {(holes.Count == 1 ? "was" : "were")} reclaimed by space management before the backup was taken: "
                + "the point is below what was reclaimed, and a stream whose records were there would come back older or empty. Restore the whole backup, or a backup taken before those segments were deleted");
        }

        PrepareEmptyDirectory(target, "restore");
        foreach (var entry in kept)
        {
            string name = SegmentHeader.FileName(entry.Id);
            byte[] bytes = await File.ReadAllBytesAsync(Path.Combine(source, name), cancellationToken).ConfigureAwait(false);
            WriteDurably(Path.Combine(target, name), entry.Id == cutSegment && cutOffset < bytes.Length ? bytes[..(int)cutOffset] : bytes);
        }

        var entries = kept.Select(e => e.Id == cutSegment && cutOffset >= 0 ? e with { State = ManifestState.Open, SealedLength = 0, SealedAtTicks = 0 } : e).ToList();
        CopyErasureScans(source, target);
        WriteDurably(Path.Combine(target, SegmentManifest.FileName), SegmentManifest.Serialize(entries));
        PhysicalFileSystem.Instance.SyncDirectory(target);
        return await OpenOnceAsync(target, encryption, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first record past <paramref name="point"/>: its segment and offset, or the last segment and -1 when every record
    /// of the backup is within the point.
    /// </summary>
    private static (uint Segment, long Offset) FindCut(string source, List<ManifestEntry> segments, RestorePoint point)
    {
        foreach (var entry in segments)
        {
            string path = Path.Combine(source, SegmentHeader.FileName(entry.Id));
            using var file = PhysicalFileSystem.Instance.OpenFile(path, WalFileMode.OpenReadOnly);
            var probe = new SegmentReader(file, RecordHeader.Size);
            if (probe.ReadHeader(out var header, out _, out _) is var status && status != SegmentHeaderStatus.Ok)
            {
                throw new LogCorruptedException(path, 0, $"the segment header is not valid ({status})");
            }

            var reader = new SegmentReader(file, header.SegmentSizeBytes - SegmentHeader.Size - RecordHeader.SealSize);
            long offset = SegmentHeader.Size;
            while (reader.ReadAt(offset, out var record) == ScanStatus.Record)
            {
                if (IsPast(record.Header, point))
                {
                    return (entry.Id, offset);
                }

                offset += record.Header.Length;
            }
        }

        return (segments.Count > 0 ? segments[^1].Id : 0, -1);
    }

    private static bool IsPast(in RecordHeader header, RestorePoint point)
    {
        if (point.Time is { } time)
        {
            return header.TimestampTicks > time.UtcTicks;
        }

        return header.Type is RecordType.Events or RecordType.Checkpoint or RecordType.Tombstone && header.LastLsn > point.Lsn!.Value;
    }

    private static string DescribeHoles(List<uint> holes)
        => holes.Count <= 3
            ? "segment " + string.Join(", ", holes.Select(SegmentHeader.FileName))
            : $"{holes.Count} segments ({SegmentHeader.FileName(holes[0])} .. {SegmentHeader.FileName(holes[^1])})";
}
