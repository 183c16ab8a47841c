namespace Actors.Client;

/// <summary>
/// The gateway connection closed while the call was in flight: the call's outcome is unknown (the grain may or may
/// not have executed it). The next call reconnects.
/// </summary>
public sealed class GatewayConnectionLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatewayConnectionLostException(string endpoint, string reason, Exception? innerException = null)
        : base($"The connection to the silo gateway at {endpoint} was lost while the call was in flight ({reason}); its outcome is unknown.", innerException)
    {
        Endpoint = endpoint;
    }

    /// <summary>The endpoint of the lost connection.</summary>
    public string Endpoint { get; }
}
