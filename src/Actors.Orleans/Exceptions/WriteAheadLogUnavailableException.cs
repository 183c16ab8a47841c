namespace Actors.Orleans;

/// <summary>
/// The silo's log cannot serve the call: it is not open yet (the silo is starting), it closed (the silo is stopping),
/// it failed to open, or it failed (an I/O error). Nothing was stored by the call that got it.
/// </summary>
public sealed class WriteAheadLogUnavailableException : WriteAheadLogProviderException
{
    /// <summary>Creates the exception.</summary>
    public WriteAheadLogUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
