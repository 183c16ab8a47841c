namespace Actors.Wal;

/// <summary>A backup or restore of a log directory could not be made; the source was not modified.</summary>
public sealed class LogBackupException : WalException
{
    /// <summary>Creates the exception.</summary>
    public LogBackupException(string directory, string reason, Exception? innerException = null)
        : base($"Backup or restore of '{directory}' failed: {reason}.", innerException)
    {
        Directory = directory;
        Reason = reason;
    }

    /// <summary>The directory the problem is in.</summary>
    public string Directory { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
