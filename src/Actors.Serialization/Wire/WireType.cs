namespace Actors.Serialization.Wire;

/// <summary>How a value's payload is laid out on the wire; a reader can skip any value knowing only this.</summary>
public enum WireType : byte
{
    /// <summary>An unsigned LEB128 integer.</summary>
    VarInt = 0,

    /// <summary>A zigzag-encoded signed LEB128 integer.</summary>
    SignedVarInt = 1,

    /// <summary>Four bytes, little-endian.</summary>
    Fixed32 = 2,

    /// <summary>Eight bytes, little-endian.</summary>
    Fixed64 = 3,

    /// <summary>A varuint length followed by that many bytes.</summary>
    LengthPrefixed = 4,

    /// <summary>Nested fields up to an EndObject marker.</summary>
    Object = 5,

    /// <summary>EndObject or EndBase.</summary>
    Marker = 6,

    /// <summary>Null or a reference to an earlier object.</summary>
    Special = 7,
}
