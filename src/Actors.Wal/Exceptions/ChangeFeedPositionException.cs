namespace Actors.Wal;

/// <summary>
/// A change-feed position that does not belong to this log as it is: it lies beyond the log's durable end (a position
/// stored against another log, or a log restored from an older copy), or its address does not hold the LSNs it claims.
/// </summary>
public sealed class ChangeFeedPositionException : WalException
{
    /// <summary>Creates the exception.</summary>
    public ChangeFeedPositionException(string directory, ChangeFeedPosition position, long durableLsn, string reason)
        : base($"Change-feed position {position} does not fit log '{directory}' (durable LSN {durableLsn}): {reason}.")
    {
        Directory = directory;
        Position = position;
        DurableLsn = durableLsn;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>The position given.</summary>
    public ChangeFeedPosition Position { get; }

    /// <summary>The log's durable LSN when the position was checked.</summary>
    public long DurableLsn { get; }
}
