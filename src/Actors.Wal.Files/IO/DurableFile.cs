namespace Actors.Wal.IO;

/// <summary>
/// Replaces a small file so that a crash at any point leaves either the complete old file or the complete new one, and
/// creates directories that a power cut keeps.
/// </summary>
public static class DurableFile
{
    /// <summary>
    /// Writes <paramref name="tempFileName"/>, fsyncs it, renames it over <paramref name="fileName"/>, fsyncs the
    /// directory. I/O errors propagate: the caller decides whether the log fails.
    /// </summary>
    /// <exception cref="FileNotReplacedException">
    /// Creating or writing the temporary file failed (ENOSPC, for one): the temporary file is deleted and
    /// <paramref name="fileName"/> is as it was, so a caller may skip the replace and try again later. An error from the
    /// fsync, the rename or the directory fsync propagates as it is (the file may or may not be replaced).
    /// </exception>
    public static void Replace(IFileSystem fileSystem, string directory, string fileName, string tempFileName, byte[] data)
    {
        string temp = Path.Combine(directory, tempFileName);
        fileSystem.DeleteFile(temp);
        IWalFile file = WriteTemporary(fileSystem, directory, fileName, temp, data);
        using (file)
        {
            file.Flush();
        }

        fileSystem.RenameFile(temp, Path.Combine(directory, fileName));
        fileSystem.SyncDirectory(directory);
    }

    /// <summary>
    /// Creates <paramref name="directory"/> and its missing ancestors so that a power cut after it returns keeps them: the
    /// parent of each directory it created is fsynced, top down (a new directory is a name in its parent, durable only
    /// once the parent is; files made durable inside a directory whose own name is lost are lost with it). When the
    /// directory exists it does nothing. I/O errors propagate.
    /// </summary>
    /// <remarks>An ancestor that exists, created earlier without that fsync, is not made durable here: create it with this too.</remarks>
    public static void CreateDirectory(IFileSystem fileSystem, string directory)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string full = Path.GetFullPath(directory);
        var created = new Stack<string>();
        for (string? path = full; path is not null && Path.GetDirectoryName(path) is not null && !fileSystem.DirectoryExists(path); path = Path.GetDirectoryName(path))
        {
            created.Push(path);
        }

        if (created.Count == 0)
        {
            return;
        }

        fileSystem.CreateDirectory(full);
        foreach (string path in created)
        {
            fileSystem.SyncDirectory(Path.GetDirectoryName(path)!);
        }
    }

    /// <summary>Creates <paramref name="temp"/> and writes <paramref name="data"/>; on failure deletes it and throws <see cref="FileNotReplacedException"/>.</summary>
    private static IWalFile WriteTemporary(IFileSystem fileSystem, string directory, string fileName, string temp, byte[] data)
    {
        IWalFile? file = null;
        try
        {
            file = fileSystem.OpenFile(temp, WalFileMode.CreateNew);
            file.Write(0, data);
            return file;
        }
        catch (IOException ex) when (ex is not FileNotReplacedException)
        {
            file?.Dispose();
            try
            {
                fileSystem.DeleteFile(temp);
            }
            catch (IOException)
            {
                // Left behind, it is never read: the next replace deletes it first.
            }

            throw new FileNotReplacedException(Path.Combine(directory, fileName), temp, ex);
        }
    }
}
