using Actors.Wal.IO;

namespace Actors.Wal.Entries;

/// <summary>
/// A checkpoint of an <see cref="EntryLog"/> whose file is written off the log's owner thread
/// (<see cref="EntryLog.BeginCheckpoint"/>): <see cref="Write"/> replaces the checkpoint file atomically and durably on any
/// thread, once; the owner then calls <see cref="EntryLog.CompleteCheckpoint"/>, which puts it in force (or fails the log
/// when the write failed).
/// </summary>
/// <remarks>
/// While <see cref="Write"/> runs the owner may go on appending, syncing, truncating and deleting its prefix (none of them
/// touches the checkpoint file), but must not write or install another checkpoint or dispose the log until it returned.
/// </remarks>
public sealed class PendingEntryLogCheckpoint
{
    private readonly IFileSystem _fileSystem;
    private readonly byte[] _data;
    private int _written;

    internal PendingEntryLogCheckpoint(IFileSystem fileSystem, string directory, EntryLogCheckpoint checkpoint, byte[] data, long installsAtBegin)
    {
        InstallsAtBegin = installsAtBegin;
        _fileSystem = fileSystem;
        Directory = directory;
        Checkpoint = checkpoint;
        _data = data;
    }

    /// <summary>The checkpoint being written (its state copied: the caller may reuse its buffer).</summary>
    public EntryLogCheckpoint Checkpoint { get; }

    /// <summary>The log's directory.</summary>
    public string Directory { get; }

    /// <summary>How many checkpoints the log had installed when this one began (one installed since: this one is superseded).</summary>
    internal long InstallsAtBegin { get; }

    /// <summary>Why <see cref="Write"/> failed, or null (the owner's <see cref="EntryLog.CompleteCheckpoint"/> fails the log with it).</summary>
    internal Exception? Failure { get; private set; }

    /// <summary>Whether <see cref="Write"/> returned.</summary>
    internal bool IsWritten => Volatile.Read(ref _written) == 2;

    /// <summary>
    /// Replaces the checkpoint file (temp, fsync, rename, fsync directory): when it returns, a crash keeps this checkpoint
    /// or, if it failed, the previous one. Any thread, once; never throws what the write threw (it is kept for the owner,
    /// whose <see cref="EntryLog.CompleteCheckpoint"/> fails the log with it: a checkpoint not known durable is never put in force).
    /// </summary>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public void Write()
    {
        if (Interlocked.CompareExchange(ref _written, 1, 0) != 0)
        {
            throw new InvalidOperationException($"The checkpoint at LSN {Checkpoint.Lsn} of '{Directory}' was written already.");
        }

        try
        {
            DurableFile.Replace(_fileSystem, Directory, EntryLogFormat.CheckpointFileName, EntryLogFormat.CheckpointTempFileName, _data);
        }
        catch (Exception exception)
        {
            Failure = exception;
        }
        finally
        {
            Volatile.Write(ref _written, 2);
        }
    }
}
