namespace Actors.Wire;

/// <summary>The kind byte of a gateway frame (see <see cref="GatewayFrameCodec"/> for the layouts).</summary>
public enum GatewayFrameKind : byte
{
    /// <summary>Client to silo, first frame: protocol version and optional shared secret.</summary>
    Hello = 1,

    /// <summary>Silo to client: the handshake was accepted.</summary>
    HelloAccepted = 2,

    /// <summary>Silo to client: the handshake was rejected (reason text); the silo closes the connection.</summary>
    HelloRejected = 3,

    /// <summary>Client to silo: one grain call; silo to client: one call to an observer the client hosts.</summary>
    Request = 4,

    /// <summary>Silo to client: the outcome of one grain call; client to silo: the outcome of one observer call.</summary>
    Response = 5,

    /// <summary>Client to silo: cancel the call or the token argument exported under an id (see <see cref="RequestHeaders.CancellationId"/>).</summary>
    Cancel = 6,

    /// <summary>
    /// Silo to client, last frame of a graceful stop: every request the silo started on this connection has its response
    /// before this frame; any request without a response was not started and may be sent again elsewhere.
    /// </summary>
    Goodbye = 7,

    /// <summary>
    /// Client to silo, after the handshake: the id that owns the observers the client hosts; the silo sends calls to
    /// those observers as Request frames on this connection.
    /// </summary>
    ObserverHost = 8,

    /// <summary>
    /// Client to silo, after the handshake (protocol version 3 and later): asks for the silo's <see cref="RoutingTable"/>
    /// now and again whenever it changes.
    /// </summary>
    RoutingRequest = 9,

    /// <summary>Silo to client, after a <see cref="RoutingRequest"/>: where partition-bound grains are served (see <see cref="GatewayRoutingTable"/>).</summary>
    RoutingTable = 10,
}
