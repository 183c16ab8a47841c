namespace Actors.Wal.IO;

/// <summary>How <see cref="IFileSystem.OpenFile"/> opens a file.</summary>
public enum WalFileMode
{
    /// <summary>Create a new file for reading and writing; fail if it exists.</summary>
    CreateNew,

    /// <summary>Open an existing file for reading and writing.</summary>
    OpenExisting,

    /// <summary>Open an existing file for reading only.</summary>
    OpenReadOnly,
}
