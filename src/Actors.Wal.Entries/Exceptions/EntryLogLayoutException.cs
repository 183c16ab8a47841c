namespace Actors.Wal;

/// <summary>
/// An entry log's directory holds the files of the other storage layout: segments of a per-directory
/// <see cref="Entries.EntryLog"/> where a log of an <see cref="Entries.Journal.EntryJournal"/> was to be opened. Nothing
/// was opened or changed; opening it the other way would silently ignore entries the directory holds.
/// </summary>
public sealed class EntryLogLayoutException : WalException
{
    /// <summary>Creates the exception.</summary>
    public EntryLogLayoutException(string directory, string reason)
        : base($"Entry log '{directory}' cannot be opened as asked: {reason}. Nothing was changed.")
    {
        Directory = directory;
        Reason = reason;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>What was found.</summary>
    public string Reason { get; }
}
