namespace Actors.Orleans.Tests.Support;

/// <summary>The machine's file system, except that while <see cref="Full"/> creating a file other than a temporary one fails with ENOSPC.</summary>
public sealed class SegmentCreationRefusingFileSystem : Actors.Wal.IO.IFileSystem
{
    private static readonly Actors.Wal.IO.IFileSystem Inner = Actors.Wal.IO.PhysicalFileSystem.Instance;

    private volatile bool _full;

    /// <summary>While true, creating a file other than a <c>.tmp</c> one fails with ENOSPC.</summary>
    public bool Full
    {
        get => _full;
        set => _full = value;
    }

    public bool DirectoryExists(string path) => Inner.DirectoryExists(path);

    public void CreateDirectory(string path) => Inner.CreateDirectory(path);

    public IReadOnlyList<string> ListFiles(string directory, string suffix) => Inner.ListFiles(directory, suffix);

    public bool FileExists(string path) => Inner.FileExists(path);

    public Actors.Wal.IO.IWalFile OpenFile(string path, Actors.Wal.IO.WalFileMode mode, long preallocationSize = 0)
        => Full && mode == Actors.Wal.IO.WalFileMode.CreateNew && !path.EndsWith(".tmp", StringComparison.Ordinal)
            ? throw new IOException($"No space left on device: '{path}' (injected)", 28)
            : Inner.OpenFile(path, mode, preallocationSize);

    public void DeleteFile(string path) => Inner.DeleteFile(path);

    public void RenameFile(string source, string destination) => Inner.RenameFile(source, destination);

    public void SyncDirectory(string directory) => Inner.SyncDirectory(directory);

    public IDisposable LockFile(string lockFilePath) => Inner.LockFile(lockFilePath);
}
