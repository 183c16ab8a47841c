using Actors.Wal.IO;

namespace Actors.Testing.PowerCut;

/// <summary>
/// The engine's <see cref="IFileSystem"/> over a <see cref="SimulatedDisk"/>: nothing touches the real disk. Records
/// every create, write, fsync, rename, directory fsync, truncate and delete, counts fsyncs per file, and can inject
/// an fsync failure or a full disk.
/// </summary>
public sealed class CrashFileSystem(SimulatedDisk disk) : IFileSystem
{
    public const int EnospcErrno = 28;
    public const int EioErrno = 5;

    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _fsyncsPerFile = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failedFsyncsPerFile = new(StringComparer.Ordinal);
    private readonly HashSet<string> _locked = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _bytesWritten;

    public SimulatedDisk Disk { get; } = disk;

    /// <summary>
    /// When set, a directory fsync makes only that directory's names durable (engines whose files span several
    /// directories); otherwise every directory's, as the single-directory engines' tests always had it.
    /// </summary>
    public bool PerDirectorySync { get; init; }

    /// <summary>
    /// When set, a directory created here is a name in its parent on the disk (<see cref="SimulatedDisk.CreateDirectory"/>):
    /// a power cut before the parent's directory fsync loses it and every file in it. Otherwise directories are not on the
    /// disk at all (always there), as the single-directory engines' tests always had them.
    /// </summary>
    public bool TrackDirectories { get; init; }

    /// <summary>When set, every file fsync from now on fails with EIO (and the file's unsynced data is lost).</summary>
    public bool FailFsync { get; set; }

    /// <summary>Bytes the disk accepts from now on; past it a write stores what fits and fails with ENOSPC.</summary>
    public long? FreeBytes { get; set; }

    /// <summary>Failed fsync calls.</summary>
    public int FailedFsyncs
    {
        get
        {
            lock (_lock)
            {
                return _failedFsyncsPerFile.Values.Sum();
            }
        }
    }

    /// <summary>Failed fsync calls per file path (a file whose fsync was retried after failing counts more than 1).</summary>
    public IReadOnlyDictionary<string, int> FailedFsyncsPerFile()
    {
        lock (_lock)
        {
            return new Dictionary<string, int>(_failedFsyncsPerFile);
        }
    }

    /// <summary>Fsync calls (including failed ones) made on <paramref name="path"/>.</summary>
    public int FsyncCalls(string path)
    {
        lock (_lock)
        {
            return _fsyncsPerFile.TryGetValue(path, out int n) ? n : 0;
        }
    }

    /// <summary>Fsync calls (including failed ones) on every file.</summary>
    public int TotalFsyncCalls()
    {
        lock (_lock)
        {
            return _fsyncsPerFile.Values.Sum();
        }
    }

    public bool DirectoryExists(string path)
    {
        if (TrackDirectories)
        {
            return Disk.DirectoryExists(path);
        }

        lock (_lock)
        {
            return _directories.Contains(path);
        }
    }

    public void CreateDirectory(string path)
    {
        if (TrackDirectories)
        {
            Disk.CreateDirectory(path);
        }

        lock (_lock)
        {
            _directories.Add(path);
        }
    }

    public IReadOnlyList<string> ListFiles(string directory, string suffix)
        => Disk.Names().Where(p => string.Equals(Path.GetDirectoryName(p), directory, StringComparison.Ordinal) && p.EndsWith(suffix, StringComparison.Ordinal)).ToList();

    public bool FileExists(string path) => Disk.Exists(path);

    public IWalFile OpenFile(string path, WalFileMode mode, long preallocationSize = 0)
    {
        if (mode == WalFileMode.CreateNew)
        {
            int id = Disk.Create(path);
            if (preallocationSize > 0)
            {
                Disk.SetLength(id, path, preallocationSize);
            }

            return new SimulatedFile(this, path, id, writable: true);
        }

        return new SimulatedFile(this, path, Disk.InodeOf(path), mode == WalFileMode.OpenExisting);
    }

    public void DeleteFile(string path) => Disk.Delete(path);

    public void RenameFile(string source, string destination)
    {
        if (!Disk.Exists(source))
        {
            throw new FileNotFoundException($"Simulated file '{source}' does not exist.", source);
        }

        Disk.Rename(source, destination);
    }

    public void SyncDirectory(string directory)
    {
        if (PerDirectorySync)
        {
            Disk.SyncDirectory(directory);
        }
        else
        {
            Disk.SyncDirectory();
        }
    }

    /// <summary>One holder per lock file (a second lock of the same path fails, as another process's would); other paths are independent.</summary>
    public IDisposable LockFile(string lockFilePath)
    {
        lock (_lock)
        {
            if (!_locked.Add(lockFilePath))
            {
                throw new IOException($"Simulated lock '{lockFilePath}' is held.");
            }

            return new Releaser(this, lockFilePath);
        }
    }

    private void Unlock(string lockFilePath)
    {
        lock (_lock)
        {
            _locked.Remove(lockFilePath);
        }
    }

    private void CountFailedFsync(string path)
    {
        lock (_lock)
        {
            _failedFsyncsPerFile[path] = (_failedFsyncsPerFile.TryGetValue(path, out int n) ? n : 0) + 1;
        }
    }

    private void CountFsync(string path)
    {
        lock (_lock)
        {
            _fsyncsPerFile[path] = (_fsyncsPerFile.TryGetValue(path, out int n) ? n : 0) + 1;
        }
    }

    private sealed class Releaser(CrashFileSystem owner, string lockFilePath) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unlock(lockFilePath);
            }
        }
    }

    private sealed class SimulatedFile(CrashFileSystem owner, string path, int inode, bool writable) : IWalFile
    {
        public string Path { get; } = path;

        public long Length => owner.Disk.Length(inode);

        public int Read(long offset, Span<byte> buffer) => owner.Disk.Read(inode, offset, buffer);

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            ThrowIfReadOnly();
            if (owner.FreeBytes is { } free)
            {
                long room = free - owner._bytesWritten;
                if (data.Length > room)
                {
                    if (room > 0)
                    {
                        owner.Disk.Write(inode, Path, offset, data[..(int)room]);
                        owner._bytesWritten += room;
                    }

                    throw new IOException("No space left on device (injected).", EnospcErrno);
                }
            }

            owner.Disk.Write(inode, Path, offset, data);
            Interlocked.Add(ref owner._bytesWritten, data.Length);
        }

        public void Flush()
        {
            owner.CountFsync(Path);
            if (owner.FailFsync)
            {
                owner.CountFailedFsync(Path);
                owner.Disk.PoisonUnsynced(inode);
                throw new IOException("Input/output error (injected fsync failure).", EioErrno);
            }

            owner.Disk.Fsync(inode, Path);
        }

        public void SetLength(long length)
        {
            ThrowIfReadOnly();
            owner.Disk.SetLength(inode, Path, length);
        }

        public void Dispose()
        {
        }

        private void ThrowIfReadOnly()
        {
            if (!writable)
            {
                throw new UnauthorizedAccessException($"Simulated file '{Path}' was opened read-only.");
            }
        }
    }
}
