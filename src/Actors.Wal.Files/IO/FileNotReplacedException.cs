namespace Actors.Wal.IO;

/// <summary>
/// <see cref="DurableFile.Replace"/> failed before its rename: creating or writing the temporary file failed, the
/// temporary file was deleted, and the file it was to replace is exactly as it was (durable or not, as before the call).
/// </summary>
/// <remarks>
/// An <see cref="IOException"/> with the file system's <see cref="Exception.HResult"/> (so ENOSPC is recognised by
/// <see cref="LogFailedException.IsDiskFullError"/>) and the file system's error as <see cref="Exception.InnerException"/>.
/// A failed fsync, rename or directory fsync is not reported this way: the original error propagates.
/// </remarks>
public sealed class FileNotReplacedException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file that was to be replaced.</param>
    /// <param name="tempPath">The temporary file that could not be written.</param>
    /// <param name="innerException">The file system's error.</param>
    public FileNotReplacedException(string path, string tempPath, IOException innerException)
        : base($"Replacing '{path}' failed writing its temporary file '{tempPath}' ({innerException.Message.TrimEnd().TrimEnd('.')}); '{path}' is unchanged.", innerException)
    {
        Path = path;
        TempPath = tempPath;
        HResult = innerException.HResult;
    }

    /// <summary>The file that was to be replaced (unchanged).</summary>
    public string Path { get; }

    /// <summary>The temporary file that could not be written (deleted again where the file system allowed it).</summary>
    public string TempPath { get; }
}
