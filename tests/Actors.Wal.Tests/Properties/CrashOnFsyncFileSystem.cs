using Actors.Wal.IO;

namespace Actors.Wal.Tests.Properties;

/// <summary>
/// The physical file system, except that while <see cref="Crashing"/> is set every fsync (of a file or of a
/// directory) throws: the process "dies inside fsync". Bytes written before it reach the file but are never
/// acknowledged, which is exactly the region a real crash may tear.
/// </summary>
internal sealed class CrashOnFsyncFileSystem : IFileSystem
{
    private readonly IFileSystem _inner = PhysicalFileSystem.Instance;
    private volatile bool _crashing;

    /// <summary>While true, every fsync throws <see cref="IOException"/>.</summary>
    public bool Crashing
    {
        get => _crashing;
        set => _crashing = value;
    }

    public bool DirectoryExists(string path) => _inner.DirectoryExists(path);

    public void CreateDirectory(string path) => _inner.CreateDirectory(path);

    public IReadOnlyList<string> ListFiles(string directory, string suffix) => _inner.ListFiles(directory, suffix);

    public bool FileExists(string path) => _inner.FileExists(path);

    public IWalFile OpenFile(string path, WalFileMode mode, long preallocationSize = 0) =>
        new CrashOnFsyncFile(_inner.OpenFile(path, mode, preallocationSize), this);

    public void DeleteFile(string path) => _inner.DeleteFile(path);

    public void RenameFile(string source, string destination) => _inner.RenameFile(source, destination);

    public void SyncDirectory(string directory)
    {
        ThrowIfCrashing(directory);
        _inner.SyncDirectory(directory);
    }

    public IDisposable LockFile(string lockFilePath) => _inner.LockFile(lockFilePath);

    private void ThrowIfCrashing(string path)
    {
        if (_crashing)
        {
            throw new IOException($"Simulated crash during fsync of '{path}'.");
        }
    }

    private sealed class CrashOnFsyncFile(IWalFile inner, CrashOnFsyncFileSystem fileSystem) : IWalFile
    {
        public string Path => inner.Path;

        public long Length => inner.Length;

        public int Read(long offset, Span<byte> buffer) => inner.Read(offset, buffer);

        public void Write(long offset, ReadOnlySpan<byte> data) => inner.Write(offset, data);

        public void Flush()
        {
            fileSystem.ThrowIfCrashing(inner.Path);
            inner.Flush();
        }

        public void SetLength(long length) => inner.SetLength(length);

        public void Dispose() => inner.Dispose();
    }
}
