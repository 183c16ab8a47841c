namespace Actors.Client;

/// <summary>
/// A connection to an Actors cluster through a silo gateway: hands out grain references whose calls travel over
/// one multiplexed TCP connection.
/// </summary>
/// <remarks>
/// Thread-safe. Calls made before <see cref="ConnectAsync"/> connect on demand. When the connection drops, calls in
/// flight on it fail with <see cref="GatewayConnectionLostException"/> and the next call reconnects; calls a stopping silo
/// did not start are sent again. Arguments and results travel through the binary serializer (docs/serialization.md);
/// grain exceptions arrive as their own type when the client has it, else as
/// <see cref="Actors.Serialization.UnavailableExceptionFallbackException"/> with the original type name, message and stack; a call
/// without a response within <see cref="ClientOptions.ResponseTimeout"/> fails with <see cref="TimeoutException"/>.
/// </remarks>
public interface IClusterClient : IGrainFactory, IAsyncDisposable
{
    /// <summary>True while a gateway connection is open.</summary>
    bool IsConnected { get; }

    /// <summary>Connects to a gateway now (instead of on the first call).</summary>
    /// <exception cref="GatewayUnavailableException">No configured gateway answered within the connect policy.</exception>
    /// <exception cref="GatewayRejectedException">A gateway refused the handshake (wrong secret or protocol version).</exception>
    Task ConnectAsync(CancellationToken cancellationToken = default);
}
