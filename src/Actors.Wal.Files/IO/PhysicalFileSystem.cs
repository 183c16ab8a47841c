using Microsoft.Win32.SafeHandles;

namespace Actors.Wal.IO;

/// <summary>The real file system: <see cref="RandomAccess"/> on <see cref="SafeFileHandle"/>s, fsync via
/// <see cref="RandomAccess.FlushToDisk"/>, directory fsync via open/fsync/close on Unix.</summary>
public sealed class PhysicalFileSystem : IFileSystem
{
    private PhysicalFileSystem()
    {
    }

    /// <summary>The shared instance (the type holds no state).</summary>
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
        SafeFileHandle handle;
        try
        {
            handle = mode switch
            {
                WalFileMode.CreateNew => File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, share, FileOptions.None, preallocationSize),
                WalFileMode.OpenExisting => File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, share),
                _ => File.OpenHandle(path, FileMode.Open, FileAccess.Read, share),
            };
        }
        catch (IOException ex) when (mode == WalFileMode.CreateNew && preallocationSize > 0 && (ex.HResult & 0xFFFF) != DiskFullErrno
            && !File.Exists(path) && FreeBytes(path) is long free && free < preallocationSize)
        {
            // .NET reports a failed preallocation (posix_fallocate: ENOSPC) with the generic I/O HResult, losing the
            // errno, and deletes the new file. The file is gone (so it was not "already exists") and the free space
            // measured after the failure is below the requested size, so the cause is a full disk: report it as
            // ENOSPC so LogFailedException.IsDiskFull recognises it.
            throw new IOException($"Preallocating {preallocationSize} bytes for '{path}' failed with only {free} bytes free (ENOSPC): {ex.Message}", ex)
            {
                HResult = DiskFullErrno,
            };
        }

        return new PhysicalFile(path, handle);
    }

    /// <summary>ENOSPC, carried in the low 16 bits of an <see cref="IOException"/>'s HResult (see <see cref="LogFailedException.IsDiskFull"/>).</summary>
    private const int DiskFullErrno = 28;

    /// <summary>The bytes available to this process on the file system holding <paramref name="path"/>, or null when unknown.</summary>
    private static long? FreeBytes(string path)
    {
        try
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            return directory is null ? null : new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
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
