namespace Actors.Orleans;

/// <summary>
/// The log refused or failed an operation of a grain's state or events. <see cref="OutcomeUnknown"/> tells a rejection
/// (false: nothing was stored) from a failure (true: the log hit an I/O error and the write may or may not be stored; the
/// grain reads its state again before it goes on).
/// </summary>
public sealed class WriteAheadLogOperationException : WriteAheadLogProviderException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What was being done, naming the grain and its state or events.</param>
    /// <param name="streamId">The log stream.</param>
    /// <param name="outcomeUnknown">True when the write may have been stored.</param>
    /// <param name="innerException">The engine's error.</param>
    public WriteAheadLogOperationException(string operation, string streamId, bool outcomeUnknown, Exception innerException)
        : this(innerException, $"{operation} failed on stream '{streamId}': {innerException.Message}{(outcomeUnknown ? " The outcome is unknown: the write may or may not be stored." : " Nothing was stored.")}", streamId, outcomeUnknown)
    {
    }

    private WriteAheadLogOperationException(Exception innerException, string message, string streamId, bool outcomeUnknown)
        : base(message, innerException)
    {
        ExceptionFacts.Set(this, nameof(StreamId), streamId);
        ExceptionFacts.Set(this, nameof(OutcomeUnknown), outcomeUnknown);
    }

    /// <summary>The exception for a read the log refused or failed (nothing was being written: <see cref="OutcomeUnknown"/> is false).</summary>
    /// <param name="operation">What was being read, naming the grain and its state or events.</param>
    /// <param name="streamId">The log stream.</param>
    /// <param name="innerException">The engine's error.</param>
    public static WriteAheadLogOperationException ForRead(string operation, string streamId, Exception innerException)
    {
        ArgumentNullException.ThrowIfNull(innerException);
        return new(innerException, $"{operation} failed on stream '{streamId}': {innerException.Message}", streamId, outcomeUnknown: false);
    }

    /// <summary>
    /// The exception for a write the log refused because the device holding it is full (nothing was stored:
    /// <see cref="OutcomeUnknown"/> is false). The message names the full device's log directory, the segment that could
    /// not be created and the setting that sizes it, as the provider's user sets it (<see cref="SiloLogOptions.SegmentSizeBytes"/>,
    /// configuration key <c>WriteAheadLog:SegmentSizeBytes</c>).
    /// </summary>
    /// <param name="operation">What was being done, naming the grain and its state or events.</param>
    /// <param name="streamId">The log stream.</param>
    /// <param name="innerException">The engine's refusal.</param>
    public static WriteAheadLogOperationException ForDiskFull(string operation, string streamId, Wal.LogDiskFullException innerException)
    {
        ArgumentNullException.ThrowIfNull(innerException);
        string cause = innerException.InnerException?.Message ?? "ENOSPC";
        return new(
            innerException,
            $"{operation} failed on stream '{streamId}': No space left on the device holding the silo's log in '{innerException.Directory}': " +
            $"the next segment '{innerException.SegmentPath}' ({innerException.SegmentSizeBytes} bytes) could not be created ({cause}). Nothing was stored. " +
            "Reads are still served, and writes resume by themselves once the device has room for one segment: free space on it, or lower the segment size " +
            $"({nameof(SiloLogOptions)}.{nameof(SiloLogOptions.SegmentSizeBytes)}, configuration key {Hosting.WriteAheadLogGrainStorageProviderBuilder.LogSection}:{nameof(SiloLogOptions.SegmentSizeBytes)}).",
            streamId,
            outcomeUnknown: false);
    }

    /// <summary>The log stream.</summary>
    public string StreamId => ExceptionFacts.String(this, nameof(StreamId));

    /// <summary>True when the write may have been stored (the log failed mid-write); false for a rejection. Also <c>Data["OutcomeUnknown"]</c>.</summary>
    public bool OutcomeUnknown => ExceptionFacts.Boolean(this, nameof(OutcomeUnknown), absent: true);
}
