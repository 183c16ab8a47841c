using Actors.Wal.Format;
using Actors.Wal.Recovery;
using Actors.Wal.Segments;

namespace Actors.Wal;

public static partial class LogBackup
{
    /// <summary>
    /// Restores a backup made by <see cref="Backup"/> into the new or empty <paramref name="logDirectory"/>: copies its
    /// manifest and segments (fsynced), then opens the log there once with <see cref="RecoveryMode.AbsoluteConsistency"/>,
    /// so that every record is checked before the directory is used, and closes it cleanly.
    /// </summary>
    /// <param name="backupDirectory">A backup directory.</param>
    /// <param name="logDirectory">Where the log goes: created when missing, and must be empty.</param>
    /// <param name="encryption">The keys of an encrypted log (null: not encrypted; an encrypted backup then fails the open with
    /// <see cref="EncryptionKeyNotFoundException"/>, and the copied directory is left as it is).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>What the restored log holds.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="backupDirectory"/> does not exist.</exception>
    /// <exception cref="LogBackupException">The backup has no readable manifest or misses a segment it lists, or the target is not empty.</exception>
    /// <exception cref="LogCorruptedException">A record of the backup is damaged (the restored directory is left as it is, for inspection).</exception>
    public static async Task<LogRestoreResult> RestoreAsync(string backupDirectory, string logDirectory, Encryption.IEncryptionKeyProvider? encryption = null, CancellationToken cancellationToken = default)
    {
        var (source, manifest) = ReadBackup(backupDirectory);
        string target = Path.GetFullPath(logDirectory);
        var names = manifest.Segments.Select(s => SegmentHeader.FileName(s.Id)).ToList();
        PrepareEmptyDirectory(target, "restore");
        foreach (string name in names.Append(SegmentManifest.FileName))
        {
            WriteDurably(Path.Combine(target, name), await File.ReadAllBytesAsync(Path.Combine(source, name), cancellationToken).ConfigureAwait(false));
        }

        CopyErasureScans(source, target);
        IO.PhysicalFileSystem.Instance.SyncDirectory(target);
        return await OpenOnceAsync(target, encryption, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The backup's full path and manifest, checked: the directory exists and holds every segment the manifest lists.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="LogBackupException">It has no readable manifest, or misses a segment it lists.</exception>
    private static (string Source, SegmentManifest Manifest) ReadBackup(string backupDirectory)
    {
        string source = Path.GetFullPath(backupDirectory);
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"The backup directory '{source}' does not exist.");
        }

        SegmentManifest manifest = ReadManifest(source);
        if (manifest.Segments.Select(s => SegmentHeader.FileName(s.Id)).FirstOrDefault(n => !File.Exists(Path.Combine(source, n))) is { } missing)
        {
            throw new LogBackupException(source, $"the backup lists segment {missing}, which is not there");
        }

        return (source, manifest);
    }

    /// <summary>Opens the restored log once with <see cref="RecoveryMode.AbsoluteConsistency"/> (every record checked) and closes it cleanly.</summary>
    private static async Task<LogRestoreResult> OpenOnceAsync(string target, Encryption.IEncryptionKeyProvider? encryption, CancellationToken cancellationToken)
    {
        long segmentSize = Math.Clamp(
            LogFiles.LargestSegmentSize(IO.PhysicalFileSystem.Instance, target) is > 0 and var largest ? largest : WriteAheadLogOptions.DefaultSegmentSizeBytes,
            WriteAheadLogOptionsValidator.MinSegmentSizeBytes,
            int.MaxValue);
        var options = new WriteAheadLogOptions
        {
            Directory = target,
            RecoveryMode = RecoveryMode.AbsoluteConsistency,
            SegmentSizeBytes = segmentSize,
            MaxRecordSizeBytes = (int)Math.Min(WriteAheadLogOptions.DefaultMaxRecordSizeBytes, segmentSize / 2),
            Encryption = encryption,
        };
        var log = await WriteAheadLog.OpenAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (log.ConfigureAwait(false))
        {
            var statistics = log.GetStatistics();
            return new LogRestoreResult(target, statistics.SegmentCount, statistics.StreamCount, statistics.WrittenLsn);
        }
    }
}
