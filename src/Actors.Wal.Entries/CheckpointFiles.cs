using Actors.Wal.IO;

namespace Actors.Wal.Entries;

/// <summary>
/// The checkpoint files of an entry log's directory ("checkpoint", "checkpoint.install" and their temp files, layout in
/// <see cref="EntryLogFormat"/>) and the checkpoint in force, for both layouts (<see cref="EntryLog"/>,
/// <see cref="Journal.JournaledEntryLog"/>), which differ only in how they discard the entries a checkpoint replaces.
/// </summary>
/// <remarks>
/// <para>A written checkpoint (<see cref="Begin"/>, <see cref="PendingEntryLogCheckpoint.Write"/>, <see cref="Complete"/>)
/// is put in force unless an install came between its begin and its completion: the install's file replaced it.</para>
/// <para>An install commits by its file: <see cref="CommitInstall"/> writes "checkpoint.install" atomically and puts the
/// checkpoint in force; the owner then discards its entries and calls <see cref="FinishInstall"/>, which renames the
/// install file over "checkpoint". Opening a directory that holds an install file (<see cref="Recover"/>) finishes it.</para>
/// <para>Not thread-safe: the log's owner calls it (a pending checkpoint's file is written elsewhere, from its own copy).</para>
/// </remarks>
internal sealed class CheckpointFiles(IFileSystem fileSystem, string directory, LogUsability usability, EntryLogCheckpoint inForce)
{
    private long _installs;

    /// <summary>The durable checkpoint the log starts at (<see cref="EntryLogCheckpoint.None"/> when it starts at LSN 1).</summary>
    public EntryLogCheckpoint InForce { get; private set; } = inForce;

    /// <summary>
    /// Opening: deletes the temp files of replacements that crashed before their rename, then reads the install file if an
    /// install passed its commit point (<c>InstallPending</c>: the caller discards every entry and finishes it), else the
    /// checkpoint file (<see cref="EntryLogCheckpoint.None"/> when there is none).
    /// </summary>
    /// <exception cref="LogCorruptedException">The file read is not a valid checkpoint file (it is written atomically, so this is damage).</exception>
    /// <exception cref="UnsupportedFormatVersionException">A checkpoint file of a newer format.</exception>
    public static (EntryLogCheckpoint Checkpoint, bool InstallPending) Recover(IFileSystem fileSystem, string directory)
    {
        fileSystem.DeleteFile(Path.Combine(directory, EntryLogFormat.CheckpointTempFileName));
        fileSystem.DeleteFile(Path.Combine(directory, EntryLogFormat.InstallTempFileName));
        var installPath = Path.Combine(directory, EntryLogFormat.InstallFileName);
        if (fileSystem.FileExists(installPath))
        {
            return (ReadFile(fileSystem, installPath), true);
        }

        var path = Path.Combine(directory, EntryLogFormat.CheckpointFileName);
        return (fileSystem.FileExists(path) ? ReadFile(fileSystem, path) : EntryLogCheckpoint.None, false);
    }

    /// <summary>The last step of an install: renames the install file over the checkpoint file and syncs the directory. I/O errors propagate.</summary>
    public static void RenameInstallOverCheckpoint(IFileSystem fileSystem, string directory)
    {
        fileSystem.RenameFile(Path.Combine(directory, EntryLogFormat.InstallFileName), Path.Combine(directory, EntryLogFormat.CheckpointFileName));
        fileSystem.SyncDirectory(directory);
    }

    /// <summary>Checks <paramref name="checkpoint"/> against <paramref name="log"/> and writes it (<see cref="Begin"/>, <see cref="PendingEntryLogCheckpoint.Write"/>, <see cref="Complete"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The LSN is not in the log's start (at least 1)..durable LSN.</exception>
    /// <exception cref="ArgumentException">The epoch is not the log's epoch at the LSN.</exception>
    /// <exception cref="LogFailedException">An I/O error (now or before): the log failed; the old or the new checkpoint is in force on disk.</exception>
    public void Write(IEntryLog log, EntryLogCheckpoint checkpoint)
    {
        var pending = Begin(log, checkpoint);
        pending.Write();
        Complete(pending);
    }

    /// <summary>Checks <paramref name="checkpoint"/> against <paramref name="log"/> and copies it into a pending write of the checkpoint file.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The LSN is not in the log's start (at least 1)..durable LSN.</exception>
    /// <exception cref="ArgumentException">The epoch is not the log's epoch at the LSN.</exception>
    /// <exception cref="LogFailedException">The log failed before.</exception>
    public PendingEntryLogCheckpoint Begin(IEntryLog log, EntryLogCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        usability.ThrowIfUnusable();
        return EntryLogRules.BeginCheckpoint(fileSystem, log, checkpoint, _installs);
    }

    /// <summary>Puts a written checkpoint in force, unless an install came since it began (the installed one stays).</summary>
    /// <exception cref="InvalidOperationException">The write has not returned, or the checkpoint is another log's.</exception>
    /// <exception cref="LogFailedException">The write failed (or the log before): the log failed.</exception>
    public void Complete(PendingEntryLogCheckpoint pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        EntryLogRules.CheckWritten(pending, directory);
        usability.ThrowIfUnusable();
        if (pending.Failure is { } failure)
        {
            throw usability.Fail("write checkpoint", failure);
        }

        if (pending.InstallsAtBegin == _installs)
        {
            InForce = pending.Checkpoint;
        }
    }

    /// <summary>Refuses to delete entries up to <paramref name="lsn"/> unless the checkpoint in force covers them.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsn"/> is negative.</exception>
    /// <exception cref="LogFailedException">The log failed before.</exception>
    /// <exception cref="CheckpointNotDurableException"><paramref name="lsn"/> is above the checkpoint's LSN.</exception>
    public void CheckCovers(long lsn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lsn);
        usability.ThrowIfUnusable();
        if (lsn > InForce.Lsn)
        {
            throw new CheckpointNotDurableException(directory, lsn, InForce.Lsn);
        }
    }

    /// <summary>
    /// The commit point of an install: checks <paramref name="checkpoint"/>, writes the install file atomically and puts a
    /// copy of it in force (returned). From here on the log is that checkpoint with no entry; the owner discards its
    /// entries, then calls <see cref="FinishInstall"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The LSN is below the checkpoint in force's or 1, or the epoch is above <paramref name="enteredEpoch"/>.</exception>
    /// <exception cref="LogFailedException">An I/O error (now or before): the log failed (reopening finishes or never started the install).</exception>
    public EntryLogCheckpoint CommitInstall(EntryLogCheckpoint checkpoint, long enteredEpoch)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        usability.ThrowIfUnusable();
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpoint.Lsn, Math.Max(1, InForce.Lsn), nameof(checkpoint));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(checkpoint.Epoch, enteredEpoch, nameof(checkpoint));
        var data = EntryLogFormat.FormatCheckpointFile(checkpoint);
        usability.Guard("install checkpoint (write)", () => DurableFile.Replace(
            fileSystem, directory, EntryLogFormat.InstallFileName, EntryLogFormat.InstallTempFileName, data));

        InForce = checkpoint with { State = checkpoint.State.ToArray() };
        _installs++;
        return InForce;
    }

    /// <summary>The last step of an install, once the owner discarded its entries durably (<see cref="RenameInstallOverCheckpoint"/>).</summary>
    /// <exception cref="LogFailedException">An I/O error: the log failed (reopening finishes the install).</exception>
    public void FinishInstall() => usability.Guard("install checkpoint (finish)", () => RenameInstallOverCheckpoint(fileSystem, directory));

    private static EntryLogCheckpoint ReadFile(IFileSystem fileSystem, string path)
    {
        using var file = fileSystem.OpenFile(path, WalFileMode.OpenReadOnly);
        var data = new byte[file.Length];
        var read = file.Read(0, data);
        return EntryLogFormat.TryReadCheckpointFile(data.AsSpan(0, read), path)
            ?? throw new LogCorruptedException(path, 0, "the checkpoint file fails its checksum or layout (it is replaced atomically, so this is damage)");
    }
}
