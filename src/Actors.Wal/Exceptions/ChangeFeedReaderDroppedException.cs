namespace Actors.Wal;

/// <summary>
/// A retained change-feed reader (<see cref="ChangeFeedRetention"/>) was dropped: it held more log bytes back from
/// deletion than <see cref="WriteAheadLogOptions.MaxChangeFeedRetainedBytes"/> allows (a dead or far too slow reader), so
/// the log stopped keeping its segments. The changes after its position may already be gone: resume from the position
/// and expect a <see cref="ChangeFeedGapException"/>, or restart from <see cref="ChangeFeedPosition.Oldest"/> with a
/// fresh copy of the state the reader maintains.
/// </summary>
public sealed class ChangeFeedReaderDroppedException : WalException
{
    /// <summary>Creates the exception.</summary>
    public ChangeFeedReaderDroppedException(string directory, string readerName, ChangeFeedPosition position, long heldBytes, long maxBytes)
        : base($"Change-feed reader '{readerName}' of log '{directory}' was dropped at {position}: it held {heldBytes} bytes of segments back from deletion, more than MaxChangeFeedRetainedBytes ({maxBytes}). Its later changes are no longer kept for it.")
    {
        Directory = directory;
        ReaderName = readerName;
        Position = position;
        HeldBytes = heldBytes;
        MaxBytes = maxBytes;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>The reader's name.</summary>
    public string ReaderName { get; }

    /// <summary>The reader's last retained position.</summary>
    public ChangeFeedPosition Position { get; }

    /// <summary>The bytes it held back when it was dropped.</summary>
    public long HeldBytes { get; }

    /// <summary>The bound it passed.</summary>
    public long MaxBytes { get; }
}
