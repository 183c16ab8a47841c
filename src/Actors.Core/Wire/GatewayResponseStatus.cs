namespace Actors.Wire;

/// <summary>The status byte of a response frame.</summary>
public enum GatewayResponseStatus : byte
{
    /// <summary>The call completed; the body carries the serialized result.</summary>
    Ok = 0,

    /// <summary>The call failed; the body carries the serialized exception, its type name and message.</summary>
    Error = 1,
}
