namespace Actors.Wal;

/// <summary>
/// The log refused a request before doing anything with it, because the request itself cannot be carried out: a
/// record too large (<see cref="RecordTooLargeException"/>), an invalid stream id (<see cref="InvalidStreamIdException"/>),
/// a checkpoint version out of range (<see cref="CheckpointVersionOutOfRangeException"/>), a write to a read-only log
/// (<see cref="LogReadOnlyException"/>).
/// </summary>
/// <remarks>
/// A <em>rejection</em> in the Akka.Persistence sense: nothing was stored, the log is healthy and the caller may go on
/// (for a grain: keep its state, report the error). Contrast <see cref="LogFailedException"/> (the outcome is unknown) and
/// <see cref="StreamVersionConflictException"/> (nothing was stored either, but the caller's view of the stream is stale).
/// </remarks>
public abstract class RequestRejectedException : WalException
{
    /// <summary>Creates the exception.</summary>
    protected RequestRejectedException(string? streamId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StreamId = streamId;
    }

    /// <summary>The stream the request named, when it had a valid one.</summary>
    public string? StreamId { get; }
}
