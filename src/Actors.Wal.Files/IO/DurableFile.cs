namespace Actors.Wal.IO;

/// <summary>Replaces a small file so that a crash at any point leaves either the complete old file or the complete new one.</summary>
public static class DurableFile
{
    /// <summary>
    /// Writes <paramref name="tempFileName"/>, fsyncs it, renames it over <paramref name="fileName"/>, fsyncs the
    /// directory. I/O errors propagate: the caller decides whether the log fails.
    /// </summary>
    public static void Replace(IFileSystem fileSystem, string directory, string fileName, string tempFileName, byte[] data)
    {
        string temp = Path.Combine(directory, tempFileName);
        fileSystem.DeleteFile(temp);
        using (var file = fileSystem.OpenFile(temp, WalFileMode.CreateNew))
        {
            file.Write(0, data);
            file.Flush();
        }

        fileSystem.RenameFile(temp, Path.Combine(directory, fileName));
        fileSystem.SyncDirectory(directory);
    }
}
