using Actors.Wal.IO;

namespace Actors.Wal.Entries;

/*
 * Checkpoints and prefix deletion, crash-safe by ordering:
 *
 * WriteCheckpoint(c): the checkpoint file is replaced atomically (temp, fsync, rename, fsync directory). Before the
 *   rename the old checkpoint is in force, after it the new one; entries are untouched.
 * DeletePrefix(l): only l <= the durable checkpoint's LSN (CheckpointNotDurableException otherwise), so the checkpoint is
 *   durable before any entry it covers is deleted. Whole segments other than the last whose entries all lie at or below
 *   l are deleted oldest first, each deletion followed by a directory fsync: a crash part-way leaves a log whose first
 *   segment starts at or below l + 1 (never a gap, never a log starting above its checkpoint + 1). Entries at or below
 *   the checkpoint that share a segment with later ones stay on disk, hidden (the log starts at the checkpoint).
 * InstallCheckpoint(c): replaces the whole log by c, atomically by roll-forward: (1) "checkpoint.install" is written
 *   atomically (the commit point: before it the old log and checkpoint, after it the new checkpoint with no entry),
 *   (2) every segment is deleted, (3) "checkpoint.install" is renamed over "checkpoint"; recovery finishes (2) and (3)
 *   when it finds the install file.
 * The checkpoint files and the checkpoint in force are CheckpointFiles's, shared with JournaledEntryLog (which discards
 * its entries by journal records instead of segment deletions).
 */
public sealed partial class EntryLog
{
    /// <summary>
    /// Writes <paramref name="checkpoint"/> durably (an atomic file replacement): when it returns, a crash keeps it.
    /// Entries are untouched; <see cref="DeletePrefix"/> may then delete the ones it covers.
    /// </summary>
    /// <param name="checkpoint">The owner's state after entries 1..Lsn: Lsn between <see cref="StartLsn"/> and
    /// <see cref="DurableLsn"/> (a checkpoint never covers entries a crash could still lose), Epoch the log's epoch there.</param>
    /// <exception cref="ArgumentOutOfRangeException">The LSN is not in <see cref="StartLsn"/>..<see cref="DurableLsn"/> or below 1.</exception>
    /// <exception cref="ArgumentException">The epoch is not the log's epoch at the LSN.</exception>
    /// <exception cref="LogFailedException">An I/O error: the log failed; the old or the new checkpoint is in force.</exception>
    public void WriteCheckpoint(EntryLogCheckpoint checkpoint) => _checkpoints.Write(this, checkpoint);

    /// <summary>
    /// <see cref="WriteCheckpoint"/> in three steps, for an owner that must not wait for the file: this checks
    /// <paramref name="checkpoint"/> and copies it (owner thread); <see cref="PendingEntryLogCheckpoint.Write"/> writes the
    /// file on any thread while the owner goes on; <see cref="CompleteCheckpoint"/> puts it in force (owner thread). Until
    /// the write returned the owner must not write or install another checkpoint or dispose the log.
    /// </summary>
    /// <param name="checkpoint">As for <see cref="WriteCheckpoint"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The LSN is not in <see cref="StartLsn"/>..<see cref="DurableLsn"/> or below 1.</exception>
    /// <exception cref="ArgumentException">The epoch is not the log's epoch at the LSN.</exception>
    /// <exception cref="LogFailedException">The log failed before.</exception>
    public PendingEntryLogCheckpoint BeginCheckpoint(EntryLogCheckpoint checkpoint) => _checkpoints.Begin(this, checkpoint);

    /// <summary>
    /// Puts a checkpoint written by <see cref="PendingEntryLogCheckpoint.Write"/> in force (owner thread): from now on the
    /// log starts at it, and <see cref="DeletePrefix"/> may delete the entries it covers. After an
    /// <see cref="InstallCheckpoint"/> made meanwhile (which the owner ran only once the write returned, so its file
    /// replaced this one) it changes nothing: the installed checkpoint stays in force.
    /// </summary>
    /// <exception cref="InvalidOperationException">The write has not returned, or the checkpoint is another log's.</exception>
    /// <exception cref="LogFailedException">The write failed: the log failed (the old or the new checkpoint is in force on disk).</exception>
    public void CompleteCheckpoint(PendingEntryLogCheckpoint pending) => _checkpoints.Complete(pending);

    /// <summary>
    /// Deletes the entries up to <paramref name="lsn"/>, which the durable checkpoint covers, durably: whole segments
    /// (other than the last) whose entries all lie at or below it are deleted oldest first. Entries sharing a segment with
    /// later ones stay on disk until that segment goes, but are no longer readable.
    /// </summary>
    /// <returns>The number of segment files deleted.</returns>
    /// <exception cref="CheckpointNotDurableException"><paramref name="lsn"/> is above the durable checkpoint's LSN; nothing was deleted.</exception>
    /// <exception cref="LogFailedException">An I/O error: the log failed; a prefix of the deletions happened.</exception>
    public int DeletePrefix(long lsn)
    {
        _checkpoints.CheckCovers(lsn);
        var deleted = 0;
        while (_segments.Count > 1 && _segments[0].LastLsn <= lsn)
        {
            var segment = _segments[0];
            segment.Dispose();
            _segments.RemoveAt(0);
            _epochs.RemoveRange(0, segment.Count);
            _firstLsn = _segments[0].FirstLsn;
            deleted++;
            _usability.Guard("delete prefix (delete segment)", () => EntrySegmentFile.Delete(_fileSystem, Directory, segment.File.Path));
        }

        return deleted;
    }

    /// <summary>
    /// Replaces the whole log by <paramref name="checkpoint"/> (taken from another replica) with no entry after it,
    /// atomically and durably: a crash leaves either the old log and checkpoint or the new checkpoint with no entry.
    /// </summary>
    /// <param name="checkpoint">The new start: Lsn at least <see cref="StartLsn"/> and at least 1; Epoch not above <see cref="EnteredEpoch"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The LSN is below <see cref="StartLsn"/> or 1, or the epoch is above <see cref="EnteredEpoch"/>.</exception>
    /// <exception cref="LogFailedException">An I/O error: the log failed (reopening finishes or never started the install).</exception>
    public void InstallCheckpoint(EntryLogCheckpoint checkpoint)
    {
        var installed = _checkpoints.CommitInstall(checkpoint, EnteredEpoch);

        // Committed: from here on the new checkpoint is in force (recovery would finish what follows).
        foreach (var segment in _segments)
        {
            segment.Dispose();
        }

        var paths = _segments.Select(s => s.File.Path).ToArray();
        _segments.Clear();
        _epochs.Clear();
        _firstLsn = installed.Lsn + 1;
        DurableLsn = installed.Lsn;
        _usability.Guard("install checkpoint (finish)", () => DeleteSegmentFiles(_fileSystem, Directory, paths));
        _checkpoints.FinishInstall();
    }

    /// <summary>Step (2) of an install: deletes the obsolete segments, then syncs the directory.</summary>
    private static void DeleteSegmentFiles(IFileSystem fileSystem, string directory, IEnumerable<string> segmentPaths)
    {
        foreach (var path in segmentPaths)
        {
            fileSystem.DeleteFile(path);
        }

        fileSystem.SyncDirectory(directory);
    }
}
