namespace Actors.Cluster.Messaging;

/// <summary>
/// Sends requests to other silos and returns their responses. The cluster's protocol logic talks to other silos only
/// through this interface, so a simulator can replace TCP with a simulated network.
/// </summary>
public interface ISiloTransport
{
    /// <summary>Sends a request to <paramref name="target"/> and returns its response payload.</summary>
    /// <exception cref="SiloUnreachableException">Not delivered, or the connection was lost before the response (outcome unknown).</exception>
    /// <exception cref="TimeoutException">No response within <paramref name="timeout"/> (outcome unknown).</exception>
    /// <exception cref="Exception">The handler on <paramref name="target"/> failed: its exception, rebuilt (see <c>SiloErrors</c>).</exception>
    Task<byte[]> SendAsync(SiloAddress target, SiloMessageType type, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Serves the requests other silos send to this one.</summary>
public interface ISiloMessageHandler
{
    /// <summary>Handles one request; the returned bytes are the response payload, an exception becomes an error response.</summary>
    Task<byte[]> HandleAsync(SiloAddress sender, SiloMessageType type, byte[] payload, CancellationToken cancellationToken);
}
