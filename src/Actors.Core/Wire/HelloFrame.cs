namespace Actors.Wire;

/// <summary>A decoded <see cref="GatewayFrameKind.Hello"/> frame.</summary>
/// <param name="ProtocolVersion">The client's protocol version.</param>
/// <param name="Secret">The shared secret the client presents; empty when it presents none.</param>
public readonly record struct HelloFrame(ushort ProtocolVersion, string Secret);
