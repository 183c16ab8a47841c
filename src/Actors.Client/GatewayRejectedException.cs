namespace Actors.Client;

/// <summary>A gateway refused the client's handshake (a missing or wrong shared secret, or an unsupported protocol version). Not retried.</summary>
public sealed class GatewayRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatewayRejectedException(string endpoint, string reason)
        : base($"The silo gateway at {endpoint} rejected the connection: {reason}.")
    {
        Endpoint = endpoint;
        Reason = reason;
    }

    /// <summary>The endpoint that rejected the client.</summary>
    public string Endpoint { get; }

    /// <summary>The silo's reason.</summary>
    public string Reason { get; }
}
