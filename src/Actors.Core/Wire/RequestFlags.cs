namespace Actors.Wire;

/// <summary>Per-call flags of a request message (a byte on the wire; unknown bits are a protocol error).</summary>
[Flags]
public enum RequestFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>The caller expects no response: the receiver runs the call and sends nothing back.</summary>
    OneWay = 1,
}
