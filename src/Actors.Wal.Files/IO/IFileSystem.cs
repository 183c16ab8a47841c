namespace Actors.Wal.IO;

/// <summary>
/// Every file-system operation the log engine performs goes through this interface, so tests can inject faults
/// (torn writes, bit flips, fsync failures, a full disk) or simulate crashes (keeping synced and unsynced bytes
/// apart and recording every write, fsync, create and rename boundary).
/// </summary>
/// <remarks>
/// <para>
/// Durability contract the engines rely on: bytes written through <see cref="IWalFile.Write"/> are durable only
/// after <see cref="IWalFile.Flush"/> (or <see cref="IWalFile.FlushData"/>) returned; a created, renamed or deleted
/// file name is durable only after <see cref="SyncDirectory"/> of its directory returned. A failed flush is reported as
/// an <see cref="IOException"/> and never retried by the engines (they fail the log: <see cref="LogFailedException"/>);
/// an <see cref="IOException"/> whose HResult carries ENOSPC (28) in its low 16 bits is a full disk.
/// </para>
/// <para>
/// The seam is public so that an implementation outside the engines (a test's fault-injecting or crash-simulating
/// file system, FASTER's <c>SimulatedFlakyDevice</c> in spirit) can stand between an engine and the disk; both the event
/// log (Actors.Wal) and the entry logs (Actors.Wal.Entries) do all their file I/O through it.
/// <see cref="PhysicalFileSystem.Instance"/> is the real one. Implementations must be safe for concurrent calls from
/// several threads (an engine's writer, readers and maintenance run at once).
/// </para>
/// </remarks>
public interface IFileSystem
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
