namespace Actors.Wal;

/// <summary>Another process (or another log instance) holds the directory's lock file.</summary>
public sealed class LogDirectoryLockedException : WalException
{
    /// <summary>Creates the exception.</summary>
    public LogDirectoryLockedException(string directory, string lockFilePath, Exception? innerException = null)
        : base($"The log directory '{directory}' is in use by another process (lock file '{lockFilePath}' is held). Stop that process or use another directory.", innerException)
    {
        Directory = directory;
        LockFilePath = lockFilePath;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>The lock file.</summary>
    public string LockFilePath { get; }
}
