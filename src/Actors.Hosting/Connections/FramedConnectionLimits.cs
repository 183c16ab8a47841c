namespace Actors.Hosting.Connections;

/// <summary>The limits a <see cref="FramedConnection{TKind}"/> enforces on its peer and itself (validated by the protocol's options).</summary>
/// <param name="MaxFrameBytes">The largest frame body accepted, in bytes (the protocol's parser checks it before buffering).</param>
/// <param name="HandshakeTimeout">How long the peer has to complete the handshake from when the connection opened.</param>
/// <param name="FrameReceiveTimeout">How long a frame may take to arrive completely once its first bytes were seen.</param>
/// <param name="OutboxCapacity">The outbox's capacity in frames (senders wait when it is full), or null for an unbounded outbox.</param>
public sealed record FramedConnectionLimits(int MaxFrameBytes, TimeSpan HandshakeTimeout, TimeSpan FrameReceiveTimeout, int? OutboxCapacity);
