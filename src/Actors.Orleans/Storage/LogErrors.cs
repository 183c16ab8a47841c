using Actors.Wal;

namespace Actors.Orleans.Storage;

/// <summary>Turns the engine's errors into the providers' typed errors, keeping the engine's as the inner exception.</summary>
internal static class LogErrors
{
    /// <summary>
    /// The provider's error for an engine error during <paramref name="operation"/>, or null when
    /// <paramref name="exception"/> is not one the providers translate (a provider's own typed error passes through).
    /// </summary>
    /// <param name="exception">The engine's error.</param>
    /// <param name="operation">What was being done, naming the grain and its state or events.</param>
    /// <param name="streamId">The log stream.</param>
    /// <param name="reading">True for a read: the error then says nothing of a write's outcome.</param>
    public static Exception? Translate(Exception exception, string operation, string streamId, bool reading = false) => exception switch
    {
        WriteAheadLogProviderException => null,
        LogReadOnlyException => new WriteAheadLogUnavailableException($"{operation} refused: the silo's log is open read-only.", exception),
        ObjectDisposedException => new WriteAheadLogUnavailableException($"{operation} refused: the silo's log closed (the silo is stopping).", exception),
        WalException when reading => WriteAheadLogOperationException.ForRead(operation, streamId, exception),
        LogDiskFullException full => WriteAheadLogOperationException.ForDiskFull(operation, streamId, full),
        RequestRejectedException or LogFailedException { Refused: true } => new WriteAheadLogOperationException(operation, streamId, outcomeUnknown: false, exception),
        WalException => new WriteAheadLogOperationException(operation, streamId, outcomeUnknown: true, exception),
        _ => null,
    };
}
