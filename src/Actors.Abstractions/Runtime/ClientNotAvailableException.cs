namespace Actors.Runtime;

/// <summary>
/// A call to an observer could not be delivered: the client (or silo object) that created it is not connected, or it
/// deleted the observer (Orleans' <c>ClientNotAvailableException</c>). Observer helpers such as
/// <c>ObserverManager</c> drop an observer whose call fails.
/// </summary>
public sealed class ClientNotAvailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClientNotAvailableException(string message)
        : base(message)
    {
    }
}
