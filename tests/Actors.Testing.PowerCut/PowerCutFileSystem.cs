using Actors.Wal.IO;

namespace Actors.Testing.PowerCut;

/// <summary>
/// Stands between an engine and a <see cref="CrashFileSystem"/> for the power-cut runs: the lock file is a file on the
/// simulated disk (created as the physical file system creates it, its name not synced, so a power cut may keep it or
/// not), and one file fsync or one directory fsync can be dropped (the call returns as if it succeeded, and nothing is
/// made durable), which is how the runs show that the checks catch a missing fsync.
/// </summary>
/// <remarks>Counts are per run: the n-th call (from 1) of the matching kind is the one dropped.</remarks>
public sealed class PowerCutFileSystem(CrashFileSystem inner) : IFileSystem
{
    private readonly Lock _lock = new();
    private int _fileFsyncs;
    private int _directorySyncs;
    private Func<string, bool>? _dropAfterDeleting;
    private bool _dropNextDirectorySync;
    private bool _keepDropping;

    /// <summary>Which file fsyncs count towards <see cref="DropFileFsync"/> (by path); null: every file.</summary>
    public Func<string, bool>? FileFsyncFilter { get; init; }

    /// <summary>The ordinal (from 1) of the counted file fsync to drop; 0 drops none.</summary>
    public int DropFileFsync { get; init; }

    /// <summary>With <see cref="DropFileFsync"/>: drop that counted file fsync and every later one.</summary>
    public bool DropLaterFileFsyncsToo { get; init; }

    /// <summary>The ordinal (from 1) of the directory fsync to drop; 0 drops none.</summary>
    public int DropDirectorySync { get; init; }

    /// <summary>
    /// With <see cref="DropDirectorySync"/>: drop that directory fsync and every later one (a file system that stops
    /// honouring them), not only that one.
    /// </summary>
    public bool DropLaterDirectorySyncsToo { get; init; }

    /// <summary>
    /// Settable at any time: the next deletion of a file for which this returns true (asked with the file's path before it
    /// is deleted) makes the directory fsync after it dropped, then this clears. One directory fsync, chosen by what it covers.
    /// </summary>
    public Func<string, bool>? DropDirectorySyncAfterDeleting
    {
        get { lock (_lock) { return _dropAfterDeleting; } }
        set { lock (_lock) { _dropAfterDeleting = value; } }
    }

    /// <summary>
    /// With <see cref="DropDirectorySyncAfterDeleting"/>: once the chosen deletion happened, drop every directory fsync while
    /// this stays true, not only the next one (settable at any time).
    /// </summary>
    public bool KeepDroppingDirectorySyncs
    {
        get { lock (_lock) { return _keepDropping; } }
        set { lock (_lock) { _keepDropping = value; } }
    }

    /// <summary>The simulated file system underneath.</summary>
    public CrashFileSystem Inner => inner;

    /// <summary>What was dropped (for the report), or null.</summary>
    public string? Dropped { get; private set; }

    public bool DirectoryExists(string path) => inner.DirectoryExists(path);

    public void CreateDirectory(string path) => inner.CreateDirectory(path);

    public IReadOnlyList<string> ListFiles(string directory, string suffix) => inner.ListFiles(directory, suffix);

    public bool FileExists(string path) => inner.FileExists(path);

    public IWalFile OpenFile(string path, WalFileMode mode, long preallocationSize = 0)
    {
        var file = inner.OpenFile(path, mode, preallocationSize);
        return DropFileFsync > 0 && (FileFsyncFilter?.Invoke(path) ?? true) ? new CountedFile(this, file) : file;
    }

    public void DeleteFile(string path)
    {
        var matches = DropDirectorySyncAfterDeleting;
        bool drop = matches is not null && inner.FileExists(path) && matches(path);
        inner.DeleteFile(path);
        if (drop)
        {
            lock (_lock)
            {
                _dropAfterDeleting = null;
                _dropNextDirectorySync = true;
            }
        }
    }

    public void RenameFile(string source, string destination) => inner.RenameFile(source, destination);

    public void SyncDirectory(string directory)
    {
        lock (_lock)
        {
            ++_directorySyncs;
            if (_dropNextDirectorySync)
            {
                _dropNextDirectorySync = _keepDropping;
                Dropped ??= $"directory fsync #{_directorySyncs} of '{directory}', the one after the chosen deletion{(_keepDropping ? ", and the later ones while told to" : "")} (after {inner.Disk.OperationCount} disk operations)";
                return;
            }

            if (_directorySyncs == DropDirectorySync || (DropLaterDirectorySyncsToo && DropDirectorySync > 0 && _directorySyncs > DropDirectorySync))
            {
                Dropped ??= $"directory fsync #{_directorySyncs}{(DropLaterDirectorySyncsToo ? " and every later one" : "")} of '{directory}' (after {inner.Disk.OperationCount} disk operations)";
                return;
            }
        }

        inner.SyncDirectory(directory);
    }

    /// <summary>Creates the lock file on the simulated disk when it is missing (as open-or-create does), then locks it.</summary>
    public IDisposable LockFile(string lockFilePath)
    {
        if (!inner.FileExists(lockFilePath))
        {
            inner.OpenFile(lockFilePath, WalFileMode.CreateNew).Dispose();
        }

        return inner.LockFile(lockFilePath);
    }

    private bool DropsThisFsync(string path)
    {
        lock (_lock)
        {
            ++_fileFsyncs;
            if (_fileFsyncs == DropFileFsync || (DropLaterFileFsyncsToo && _fileFsyncs > DropFileFsync))
            {
                Dropped ??= $"file fsync #{_fileFsyncs}{(DropLaterFileFsyncsToo ? " and every later one" : "")} of '{path}' (after {inner.Disk.OperationCount} disk operations)";
                return true;
            }

            return false;
        }
    }

    /// <summary>A file whose fsyncs are counted, one of them dropped.</summary>
    private sealed class CountedFile(PowerCutFileSystem owner, IWalFile file) : IWalFile
    {
        public string Path => file.Path;

        public long Length => file.Length;

        public int Read(long offset, Span<byte> buffer) => file.Read(offset, buffer);

        public void Write(long offset, ReadOnlySpan<byte> data) => file.Write(offset, data);

        public void Flush()
        {
            if (!owner.DropsThisFsync(Path))
            {
                file.Flush();
            }
        }

        public void FlushData() => Flush();

        public void SetLength(long length) => file.SetLength(length);

        public void Dispose() => file.Dispose();
    }
}
