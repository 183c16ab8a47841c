using Actors.Wal.IO;

namespace Actors.Wal.Entries;

/// <summary>
/// The epoch file of an entry log's directory ("epoch", layout in <see cref="EntryLogFormat"/>): the last epoch the
/// log's owner entered, replaced atomically (temp, fsync, rename, fsync directory). Both layouts keep it in the log's
/// own directory (<see cref="EntryLog"/>, <see cref="Journal.JournaledEntryLog"/>).
/// </summary>
/// <remarks>Not thread-safe: the log's owner calls it.</remarks>
internal sealed class EnteredEpochFile(IFileSystem fileSystem, string directory, LogUsability usability, long enteredEpoch)
{
    /// <summary>The last epoch recorded (0 if never).</summary>
    public long Epoch { get; private set; } = enteredEpoch;

    /// <summary>Opening: deletes a replacement that crashed before its rename and reads the epoch file (0 when there is none).</summary>
    /// <exception cref="LogCorruptedException">The file is not a valid epoch file (it is replaced atomically, so this is damage).</exception>
    public static long Read(IFileSystem fileSystem, string directory)
    {
        fileSystem.DeleteFile(Path.Combine(directory, EntryLogFormat.EpochTempFileName));
        var path = Path.Combine(directory, EntryLogFormat.EpochFileName);
        if (!fileSystem.FileExists(path))
        {
            return 0;
        }

        using var file = fileSystem.OpenFile(path, WalFileMode.OpenReadOnly);
        var data = new byte[Math.Min(file.Length, EntryLogFormat.EpochFileSize + 1)];
        var read = file.Read(0, data);
        return EntryLogFormat.TryReadEpochFile(data.AsSpan(0, read))
            ?? throw new LogCorruptedException(path, 0, $"the epoch file is not a valid {EntryLogFormat.EpochFileSize}-byte record");
    }

    /// <summary>Durably records that the owner entered <paramref name="epoch"/>: when it returns, a crash keeps it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is below <see cref="Epoch"/>.</exception>
    /// <exception cref="LogFailedException">An I/O error (now or before): the log failed and the epoch may or may not be recorded.</exception>
    public void Persist(long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, Epoch);
        usability.ThrowIfUnusable();
        var data = EntryLogFormat.FormatEpochFile(epoch);
        usability.Guard("persist epoch", () => DurableFile.Replace(fileSystem, directory, EntryLogFormat.EpochFileName, EntryLogFormat.EpochTempFileName, data));
        Epoch = epoch;
    }
}
