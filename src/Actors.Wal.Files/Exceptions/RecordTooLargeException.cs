namespace Actors.Wal;

/// <summary>An event, a checkpoint or a whole batch is larger than the log accepts. Nothing was stored.</summary>
public sealed class RecordTooLargeException : RequestRejectedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="streamId">The stream written.</param>
    /// <param name="what">What is too large, e.g. "event 3 of the batch", "the checkpoint", "the framed batch".</param>
    /// <param name="bytes">Its size in bytes.</param>
    /// <param name="maximumBytes">The most the log accepts for it.</param>
    /// <param name="limit">Which limit applies (an option name or the segment capacity).</param>
    public RecordTooLargeException(string streamId, string what, long bytes, long maximumBytes, string limit)
        : base(streamId, $"Stream '{streamId}': {what} has {bytes} bytes; the maximum is {maximumBytes} ({limit}). Nothing was written.")
    {
        What = what;
        Bytes = bytes;
        MaximumBytes = maximumBytes;
    }

    /// <summary>What is too large.</summary>
    public string What { get; }

    /// <summary>Its size in bytes.</summary>
    public long Bytes { get; }

    /// <summary>The most the log accepts.</summary>
    public long MaximumBytes { get; }
}
