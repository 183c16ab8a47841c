using Actors.Wal;

namespace Actors.Orleans.Storage;

/// <summary>Turns the engine's errors into the providers' typed errors, keeping the engine's as the inner exception.</summary>
internal static class LogErrors
{
    /// <summary>
    /// The provider's error for an engine error during <paramref name="operation"/>, or null when
    /// <paramref name="exception"/> is not one the providers translate (a provider's own typed error passes through).
    /// </summary>
    public static Exception? Translate(Exception exception, string operation, string streamId) => exception switch
    {
        WriteAheadLogProviderException => null,
        LogReadOnlyException => new WriteAheadLogUnavailableException($"{operation} refused: the silo's log is open read-only.", exception),
        RequestRejectedException => new WriteAheadLogOperationException(operation, streamId, outcomeUnknown: false, exception),
        ObjectDisposedException => new WriteAheadLogUnavailableException($"{operation} refused: the silo's log closed (the silo is stopping).", exception),
        WalException => new WriteAheadLogOperationException(operation, streamId, outcomeUnknown: true, exception),
        _ => null,
    };
}
