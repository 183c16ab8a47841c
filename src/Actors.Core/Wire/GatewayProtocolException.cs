namespace Actors.Wire;

/// <summary>A peer sent bytes that are not a valid gateway frame. The connection that carried them is closed.</summary>
public sealed class GatewayProtocolException(string message) : Exception(message)
{
}
