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

    /// <summary>
    /// Sends a one-way message to <paramref name="target"/>: no response, no correlation, no deadline. Completes once the
    /// message is queued on a connection to <paramref name="target"/> (after connecting if needed; it never waits for room
    /// in the connection's outbox); whether it arrives, and whether the receiver's
    /// <see cref="ISiloMessageHandler.HandleOneWay"/> accepted it, the sender never learns. Only for messages whose
    /// protocol tolerates loss (replication resends on its heartbeats).
    /// </summary>
    /// <exception cref="SiloUnreachableException">No connection to <paramref name="target"/>, or its outbox was full: the message was not sent.</exception>
    Task PostAsync(SiloAddress target, SiloMessageType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}

/// <summary>Serves the requests other silos send to this one.</summary>
public interface ISiloMessageHandler
{
    /// <summary>Handles one request; the returned bytes are the response payload, an exception becomes an error response.</summary>
    Task<byte[]> HandleAsync(SiloAddress sender, SiloMessageType type, byte[] payload, CancellationToken cancellationToken);

    /// <summary>
    /// Handles one one-way message (<see cref="ISiloTransport.PostAsync"/>) on the connection's read loop, in the order
    /// the sender posted them: it must not block nor wait for I/O. An exception drops the message (the sender is not told)
    /// and is logged; the connection stays open.
    /// </summary>
    void HandleOneWay(SiloAddress sender, SiloMessageType type, byte[] payload);
}
