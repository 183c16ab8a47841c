namespace Actors.Wal;

/// <summary>
/// A change-feed read reached changes the reader has not seen that the log no longer holds (space management reclaimed
/// their segments, or salvage recovery dropped damaged records): changes <see cref="MissingFromLsn"/> to
/// <see cref="MissingToLsn"/> cannot be delivered.
/// </summary>
public sealed class ChangeFeedGapException : WalException
{
    /// <summary>Creates the exception.</summary>
    public ChangeFeedGapException(string directory, ChangeFeedPosition position, long missingFromLsn, long missingToLsn)
        : base($"The change feed of log '{directory}' read from {position} cannot deliver LSNs {missingFromLsn}..{missingToLsn}: the log no longer holds them (reclaimed or lost); the next change it holds is LSN {missingToLsn + 1}.")
    {
        Directory = directory;
        Position = position;
        MissingFromLsn = missingFromLsn;
        MissingToLsn = missingToLsn;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>The reader's position when the gap was found.</summary>
    public ChangeFeedPosition Position { get; }

    /// <summary>The first LSN that cannot be delivered.</summary>
    public long MissingFromLsn { get; }

    /// <summary>The last LSN that cannot be delivered.</summary>
    public long MissingToLsn { get; }
}
