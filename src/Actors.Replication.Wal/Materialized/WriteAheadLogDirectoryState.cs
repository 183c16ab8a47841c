using Actors.Wal;

namespace Actors.Replication.Wal.Materialized;

/// <summary>
/// The checkpoint state of a materialized log that is a <see cref="WriteAheadLog"/> in a directory of its own: its
/// files as <see cref="LogBackup.Backup"/> copies them (live segments cut after their last complete record, and the
/// manifest), packed by <see cref="MaterializedLogArchive"/>; restoring writes them into the emptied directory and opens
/// the log there, whose recovery reads and checks every record.
/// </summary>
/// <remarks>
/// <para>Exactness: the backup holds every record written to the operating system before it started (step 1 of the
/// backup's comment), and the caller (the applier) starts no write while it runs, so it holds exactly what the log held.
/// Background work of the log (compaction, segment recycling) changes no stream; the backup starts again when it removed
/// a segment being copied.</para>
/// <para>The restored files are not fsynced: a materialized log is rebuilt from the entry log's checkpoint whenever its
/// replica starts.</para>
/// </remarks>
/// <param name="directory">The materialized log's directory.</param>
/// <param name="open">Opens the log in <paramref name="directory"/> (the options it was first opened with).</param>
/// <param name="close">Closes a log being discarded (it may be abandoned rather than flushed).</param>
public sealed class WriteAheadLogDirectoryState(string directory, Func<CancellationToken, ValueTask<IEventLog>> open, Func<IEventLog, ValueTask> close)
    : IMaterializedLogState
{
    /// <summary>The suffix of the scratch directory a capture copies into (beside the log's directory, deleted after).</summary>
    public const string CaptureSuffix = ".capture";

    private readonly string _directory = Path.GetFullPath(directory);

    /// <inheritdoc />
    public ValueTask<byte[]> CaptureAsync(IEventLog local, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(local);
        cancellationToken.ThrowIfCancellationRequested();
        var scratch = _directory + CaptureSuffix;
        try
        {
            DeleteDirectory(scratch);
            LogBackup.Backup(_directory, scratch);
            var files = Directory.GetFiles(scratch)
                .Order(StringComparer.Ordinal)
                .Select(path => (Path.GetFileName(path), File.ReadAllBytes(path)))
                .ToList();
            return ValueTask.FromResult(MaterializedLogArchive.Write(files));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or LogBackupException)
        {
            throw new MaterializedStateException(_directory, "capturing its files as a checkpoint state failed", exception);
        }
        finally
        {
            TryDeleteDirectory(scratch);
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
            Directory.CreateDirectory(_directory);
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

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            DeleteDirectory(path);
        }
        catch (IOException)
        {
            // Left behind; the next capture deletes it first.
        }
    }
}
