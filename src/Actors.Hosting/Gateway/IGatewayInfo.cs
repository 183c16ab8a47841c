using System.Net;

namespace Actors.Hosting.Gateway;

/// <summary>What the running gateway is bound to and how busy it is. Resolve it from the silo's services.</summary>
/// <remarks>Thread-safe.</remarks>
public interface IGatewayInfo
{
    /// <summary>The endpoint the gateway listens on (with the actual port when <see cref="GatewayOptions.Port"/> is 0), or null before it started or after it stopped.</summary>
    IPEndPoint? ListeningEndPoint { get; }

    /// <summary>The number of client connections currently open (handshake pending or done).</summary>
    int ActiveConnections { get; }
}
