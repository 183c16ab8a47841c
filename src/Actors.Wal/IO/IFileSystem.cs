namespace Actors.Wal.IO;

/// <summary>
/// Every file-system operation the log engine performs goes through this interface, so tests can inject faults
/// (torn writes, bit flips, fsync failures, a full disk) or simulate crashes (keeping synced and unsynced bytes
/// apart and recording every write, fsync, create and rename boundary).
/// </summary>
/// <remarks>
/// Durability contract the engine relies on: bytes written through <see cref="IWalFile.Write"/> are durable only
/// after <see cref="IWalFile.Flush"/> returned; a created, renamed or deleted file name is durable only after
/// <see cref="SyncDirectory"/> of its directory returned.
/// </remarks>
internal interface IFileSystem
{
    /// <summary>True when the directory exists.</summary>
    bool DirectoryExists(string path);

    /// <summary>Creates the directory and its parents if missing.</summary>
    void CreateDirectory(string path);

    /// <summary>The full paths of the files directly in <paramref name="directory"/> whose names end with <paramref name="suffix"/>.</summary>
    IReadOnlyList<string> ListFiles(string directory, string suffix);

    /// <summary>True when the file exists.</summary>
    bool FileExists(string path);

    /// <summary>Opens or creates a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="mode">Create a new file (fails if it exists), open an existing one read-write, or read-only.</param>
    /// <param name="preallocationSize">For <see cref="WalFileMode.CreateNew"/>: bytes to reserve up front (0 for none).</param>
    IWalFile OpenFile(string path, WalFileMode mode, long preallocationSize = 0);

    /// <summary>Deletes a file (no error when missing).</summary>
    void DeleteFile(string path);

    /// <summary>Atomically renames <paramref name="source"/> to <paramref name="destination"/>, replacing it.</summary>
    void RenameFile(string source, string destination);

    /// <summary>Makes the directory's entries (created, renamed, deleted names) durable.</summary>
    void SyncDirectory(string directory);

    /// <summary>Takes an exclusive lock on <paramref name="lockFilePath"/>; throws <see cref="IOException"/> when another holder has it.</summary>
    /// <returns>The lock; dispose to release.</returns>
    IDisposable LockFile(string lockFilePath);
}
