namespace Actors.Wal;

/// <summary>
/// An <see cref="Entries.EntryLog"/> was asked to append out of sequence: at an LSN other than its end + 1, or with an
/// epoch below its last entry's. Nothing was written; the caller's view of the log is wrong (a replication bug).
/// </summary>
public sealed class EntrySequenceException : WalException
{
    /// <summary>Creates the exception.</summary>
    public EntrySequenceException(string directory, string reason)
        : base($"Entry log '{directory}' refused an append: {reason}. Nothing was written.")
    {
        Directory = directory;
        Reason = reason;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>What was out of sequence.</summary>
    public string Reason { get; }
}
