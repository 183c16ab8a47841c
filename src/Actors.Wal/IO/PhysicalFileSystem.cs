using Microsoft.Win32.SafeHandles;

namespace Actors.Wal.IO;

/// <summary>The real file system: <see cref="RandomAccess"/> on <see cref="SafeFileHandle"/>s, fsync via
/// <see cref="RandomAccess.FlushToDisk"/>, directory fsync via open/fsync/close on Unix.</summary>
internal sealed class PhysicalFileSystem : IFileSystem
{
    /// <summary>The shared instance.</summary>
    public static PhysicalFileSystem Instance { get; } = new();

    /// <inheritdoc />
    public bool DirectoryExists(string path) => Directory.Exists(path);

    /// <inheritdoc />
    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string directory, string suffix)
        => Directory.GetFiles(directory, "*" + suffix, SearchOption.TopDirectoryOnly)
            .Where(f => f.EndsWith(suffix, StringComparison.Ordinal))
            .ToList();

    /// <inheritdoc />
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc />
    public IWalFile OpenFile(string path, WalFileMode mode, long preallocationSize = 0)
    {
        const FileShare share = FileShare.ReadWrite | FileShare.Delete;
        SafeFileHandle handle = mode switch
        {
            WalFileMode.CreateNew => File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, share, FileOptions.None, preallocationSize),
            WalFileMode.OpenExisting => File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, share),
            _ => File.OpenHandle(path, FileMode.Open, FileAccess.Read, share),
        };
        return new PhysicalFile(path, handle);
    }

    /// <inheritdoc />
    public void DeleteFile(string path) => File.Delete(path);

    /// <inheritdoc />
    public void RenameFile(string source, string destination) => File.Move(source, destination, overwrite: true);

    /// <inheritdoc />
    public void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS metadata is journaled; Windows offers no directory fsync.
        }

        NativeMethods.FsyncDirectory(directory);
    }

    /// <inheritdoc />
    public IDisposable LockFile(string lockFilePath)
    {
        // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix: exclusive against other processes and against a
        // second open of the same file in this process (flock locks belong to the open file description).
        return File.OpenHandle(lockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
    }
}
