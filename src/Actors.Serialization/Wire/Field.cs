using System.Runtime.CompilerServices;

namespace Actors.Serialization.Wire;

/// <summary>
/// A decoded value header: the tag, the field id delta, the runtime type when the value is typed, and the object or
/// reference id. Returned by <see cref="Reader.ReadFieldHeader"/>; the payload follows in the reader.
/// </summary>
public readonly struct Field
{
    private readonly TypeEntry? _type;
    private readonly byte _tag;

    internal Field(byte tag, uint fieldIdDelta, TypeEntry? type, uint id)
    {
        _tag = tag;
        FieldIdDelta = fieldIdDelta;
        _type = type;
        Id = id;
    }

    /// <summary>The difference between this field's id and the previous one in the same object layer.</summary>
    public uint FieldIdDelta { get; }

    /// <summary>The wire type.</summary>
    public WireType WireType => (WireType)(_tag & WireFormat.WireTypeMask);

    /// <summary>The value is null.</summary>
    public bool IsNull => (_tag & 0x0F) == WireFormat.NullLowBits;

    /// <summary>The value is a reference to an earlier object (<see cref="Id"/>).</summary>
    public bool IsReference => (_tag & 0x0F) == WireFormat.ReferenceLowBits;

    /// <summary>The header is an EndObject or EndBase marker, not a value.</summary>
    public bool IsEnd => WireType == WireType.Marker;

    /// <summary>The header is EndBase: the fields of a base class ended, the next class's fields follow.</summary>
    public bool IsEndBase => _tag == WireFormat.EndBaseTag;

    /// <summary>The header is EndObject.</summary>
    public bool IsEndObject => _tag == WireFormat.EndObjectTag;

    /// <summary>The value carries its own type (it differs from the type the writer expected in this slot).</summary>
    public bool HasFieldType => _type is not null;

    /// <summary>For an Object, its object id; for a Reference, the referenced object id; otherwise 0.</summary>
    public uint Id { get; }

    /// <summary>The value's runtime type, or null when it has the expected type.</summary>
    /// <exception cref="UnknownTypeException">The data names a type this process does not know.</exception>
    public Type? FieldType
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _type?.Type ?? (_type is null ? null : _type.ThrowUnknown());
    }

    /// <summary>The name of the value's type as the data spells it, or null when it has the expected type.</summary>
    public string? FieldTypeName => _type?.Name;

    /// <summary>Whether the typed value's type is known here; false for untyped values.</summary>
    internal bool TryGetFieldType(out Type type)
    {
        type = _type?.Type!;
        return type is not null;
    }

    /// <inheritdoc />
    public override string ToString() => IsEnd ? (IsEndBase ? "EndBase" : "EndObject")
        : IsNull ? $"Null (+{FieldIdDelta})"
        : IsReference ? $"Reference #{Id} (+{FieldIdDelta})"
        : $"{WireType} (+{FieldIdDelta}){(_type is null ? string.Empty : " of " + _type.Name)}";
}
