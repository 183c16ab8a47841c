namespace Actors.Wal;

/// <summary>A file was written by a format version this build cannot read.</summary>
public sealed class UnsupportedFormatVersionException : WalException
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedFormatVersionException(string filePath, int fileVersion, int minCompatibleVersion, int supportedVersion)
        : base($"Log file '{filePath}' has format version {fileVersion} (readable by version {minCompatibleVersion} and later); this build reads format version {supportedVersion}.")
    {
        FilePath = filePath;
        FileVersion = fileVersion;
        MinCompatibleVersion = minCompatibleVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>The format version recorded in the file.</summary>
    public int FileVersion { get; }

    /// <summary>The oldest reader version the file says can read it.</summary>
    public int MinCompatibleVersion { get; }

    /// <summary>The format version this build writes and reads.</summary>
    public int SupportedVersion { get; }
}
