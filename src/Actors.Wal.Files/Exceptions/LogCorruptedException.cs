namespace Actors.Wal;

/// <summary>A file of the log failed validation where damage cannot be a torn tail. Nothing was modified.</summary>
public sealed class LogCorruptedException : WalException
{
    /// <summary>Creates the exception.</summary>
    public LogCorruptedException(string filePath, long offset, string reason, Exception? innerException = null)
        : base($"Log file '{filePath}' is corrupted at offset {offset}: {reason}", innerException)
    {
        FilePath = filePath;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The damaged file.</summary>
    public string FilePath { get; }

    /// <summary>The byte offset of the damage within the file.</summary>
    public long Offset { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
