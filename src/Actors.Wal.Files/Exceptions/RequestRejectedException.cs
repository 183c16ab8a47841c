namespace Actors.Wal;

/// <summary>
/// The log refused a request before doing anything with it, because the request itself cannot be carried out: a
/// record too large (<see cref="RecordTooLargeException"/>), an invalid stream id (<c>InvalidStreamIdException</c>),
/// a checkpoint version out of range (<c>CheckpointVersionOutOfRangeException</c>), a write to a read-only log
/// (<c>LogReadOnlyException</c>): the last three belong to the event log (Actors.Wal).
/// </summary>
/// <remarks>
/// A <em>rejection</em> in the Akka.Persistence sense: nothing was stored, the log is healthy and the caller may go on
/// (for a grain: keep its state, report the error). Contrast <see cref="LogFailedException"/> (the outcome is unknown) and
/// the event log's <c>StreamVersionConflictException</c> (nothing was stored either, but the caller's view of the stream is stale).
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
