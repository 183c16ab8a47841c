using Actors.Wal;
using Actors.Wal.IO;

namespace Actors.Replication.Wal.Materialized;

/// <summary>
/// The checkpoint state of a materialized log that is a <see cref="WriteAheadLog"/> in a directory of its own: its
/// files as a backup would copy them (live segments cut after their last complete record, and the manifest), read into
/// memory by <see cref="LogBackup.Capture"/> and packed by <see cref="MaterializedLogArchive"/>; restoring writes them into
/// the emptied directory and opens the log there, whose recovery reads and checks every record.
/// </summary>
/// <remarks>
/// <para>Exactness: the capture holds every record written to the operating system before it started (step 1 of the
/// backup's comment in <see cref="LogBackup"/>), and the caller (the applier) starts no write while it runs, so it holds
/// exactly what the log held. Background work of the log (compaction, segment recycling) changes no stream; the capture
/// starts again when it removed a segment being read.</para>
/// <para>The restored files are not fsynced: a materialized log is rebuilt from the entry log's checkpoint whenever its
/// replica starts. Its directory is created as every directory of a replica is (<see cref="DurableFile.CreateDirectory"/>:
/// the parent of each directory created is fsynced).</para>
/// </remarks>
/// <param name="directory">The materialized log's directory.</param>
/// <param name="open">Opens the log in <paramref name="directory"/> (the options it was first opened with).</param>
/// <param name="close">Closes a log being discarded (it may be abandoned rather than flushed).</param>
public sealed class WriteAheadLogDirectoryState(string directory, Func<CancellationToken, ValueTask<IEventLog>> open, Func<IEventLog, ValueTask> close)
    : IMaterializedLogState
{
    private readonly string _directory = Path.GetFullPath(directory);

    /// <inheritdoc />
    /// <remarks>
    /// Reads the files into memory with <see cref="LogBackup.Capture"/> (each byte of the log read once; nothing written or
    /// synced) and packs them. A log whose state would not fit one array (<see cref="Array.MaxLength"/> bytes, about 2 GiB)
    /// cannot be captured: <see cref="MaterializedStateException"/> says so, with its size.
    /// </remarks>
    public ValueTask<byte[]> CaptureAsync(IEventLog local, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(local);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var capture = LogBackup.Capture(_directory);
            long size = MaterializedLogArchive.SizeOf(capture.Files.Select(f => (f.Name, (long)f.Content.Length)));
            if (size > Array.MaxLength)
            {
                throw new MaterializedStateException(
                    _directory, $"its checkpoint state would be {size} bytes, more than one state holds ({Array.MaxLength}); the entry log keeps every entry meanwhile");
            }

            return ValueTask.FromResult(MaterializedLogArchive.Write([.. capture.Files.Select(f => (f.Name, f.Content))]));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or LogBackupException)
        {
            throw new MaterializedStateException(_directory, "capturing its files as a checkpoint state failed", exception);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IEventLog> RestoreAsync(IEventLog current, ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        IReadOnlyList<(string Name, ReadOnlyMemory<byte> Content)> files;
        try
        {
            files = MaterializedLogArchive.Read(state);
        }
        catch (FormatException exception)
        {
            throw new MaterializedStateException(_directory, "the checkpoint state does not unpack", exception);
        }

        await close(current).ConfigureAwait(false);
        try
        {
            DeleteDirectory(_directory);
            DurableFile.CreateDirectory(PhysicalFileSystem.Instance, _directory);
            foreach (var (name, content) in files)
            {
                await File.WriteAllBytesAsync(Path.Combine(_directory, name), content, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new MaterializedStateException(_directory, "writing the checkpoint state's files failed", exception);
        }

        return await open(cancellationToken).ConfigureAwait(false);
    }

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
