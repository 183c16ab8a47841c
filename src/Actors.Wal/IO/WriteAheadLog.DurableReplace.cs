using Actors.Wal.IO;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Replaces <paramref name="fileName"/> in the log directory with <paramref name="data"/> so that a crash at any
    /// point leaves either the complete old file or the complete new one: write <paramref name="tempFileName"/>,
    /// fsync it, rename it over the target, fsync the directory.
    /// </summary>
    /// <remarks>Writer-loop (or open/close) only. I/O errors propagate: the caller decides whether the log fails.</remarks>
    private void ReplaceFileDurably(string fileName, string tempFileName, byte[] data)
    {
        string dir = _options.Directory;
        string temp = Path.Combine(dir, tempFileName);
        _fileSystem.DeleteFile(temp);
        using (var file = _fileSystem.OpenFile(temp, WalFileMode.CreateNew))
        {
            file.Write(0, data);
            file.Flush();
        }

        _fileSystem.RenameFile(temp, Path.Combine(dir, fileName));
        _fileSystem.SyncDirectory(dir);
    }
}
