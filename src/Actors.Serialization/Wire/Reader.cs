using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Actors.Serialization.Wire;

/// <summary>
/// Reads one message from a contiguous span. Codecs receive it by <c>ref</c>; the format is described in
/// <see cref="WireFormat"/>. Every malformed or truncated input raises <see cref="WireFormatException"/>.
/// </summary>
/// <remarks>Not thread-safe; lives for one <c>Deserialize</c> call. Values read are copied out of the span.</remarks>
public ref struct Reader
{
    private const int MaxTypeSpecDepth = 32;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly SerializerSession _session;
    private int _position;

    internal Reader(ReadOnlySpan<byte> data, SerializerSession session)
    {
        _data = data;
        _session = session;
        _position = 0;
    }

    /// <summary>The session: objects read so far, the codec provider and the caller's context.</summary>
    public readonly SerializerSession Session => _session;

    /// <summary>The offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>
    /// Whether the last end marker read was EndObject (rather than EndBase): after a class layer's fields, tells whether
    /// the object ended there or more class layers follow.
    /// </summary>
    public bool LastEndWasObject { readonly get; private set; }

    /// <summary>The number of bytes not read yet.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Reads one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if ((uint)_position >= (uint)_data.Length)
        {
            ThrowTruncated(1);
        }

        return _data[_position++];
    }

    /// <summary>Reads an unsigned LEB128 integer of at most 32 bits.</summary>
    public uint ReadVarUInt32()
    {
        ulong value = ReadVarUInt64();
        if (value > uint.MaxValue)
        {
            throw Error($"varuint {value} exceeds 32 bits");
        }

        return (uint)value;
    }

    /// <summary>Reads an unsigned LEB128 integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarUInt64()
    {
        if ((uint)_position < (uint)_data.Length && _data[_position] < 0x80)
        {
            return _data[_position++];
        }

        return ReadVarUInt64Slow();
    }

    /// <summary>Reads a zigzag-encoded signed LEB128 integer.</summary>
    public long ReadVarInt64()
    {
        ulong raw = ReadVarUInt64();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Reads four bytes, little-endian.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadSpan(4));

    /// <summary>Reads eight bytes, little-endian.</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadSpan(8));

    /// <summary>Returns the next <paramref name="count"/> bytes (a view into the message) and moves past them.</summary>
    public ReadOnlySpan<byte> ReadSpan(int count)
    {
        if (count < 0 || count > _data.Length - _position)
        {
            ThrowTruncated(count);
        }

        ReadOnlySpan<byte> span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    /// <summary>Reads a LengthPrefixed payload and returns a view of its bytes.</summary>
    public ReadOnlySpan<byte> ReadLengthPrefixed()
    {
        uint length = ReadVarUInt32();
        if (length > (uint)(_data.Length - _position))
        {
            ThrowTruncated((int)Math.Min(length, int.MaxValue));
        }

        return ReadSpan((int)length);
    }

    /// <summary>Reads a LengthPrefixed UTF-8 payload as a string.</summary>
    public string ReadStringPayload()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadLengthPrefixed();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new WireFormatException($"invalid UTF-8 in a string ({ex.Message})", start);
        }
    }

    /// <summary>Reads the next value header (or EndObject/EndBase marker).</summary>
    public Field ReadFieldHeader()
    {
        byte tag = ReadByte();
        uint delta = (uint)tag >> 4;
        if (delta == WireFormat.ExtendedDeltaMarker)
        {
            delta = checked(WireFormat.ExtendedDeltaMarker + ReadVarUInt32());
        }

        var wireType = (WireType)(tag & WireFormat.WireTypeMask);
        bool typed = (tag & WireFormat.TypedFlag) != 0;
        switch (wireType)
        {
            case WireType.Marker:
                if (tag != WireFormat.EndObjectTag && tag != WireFormat.EndBaseTag)
                {
                    throw Error($"invalid marker tag 0x{tag:X2}");
                }

                LastEndWasObject = tag == WireFormat.EndObjectTag;
                if (LastEndWasObject)
                {
                    _session.ExitObject();
                }

                return new Field(tag, 0, null, 0);
            case WireType.Special:
                return new Field(tag, delta, null, typed ? ReadVarUInt32() : 0);
            case WireType.Object:
                TypeEntry? objectType = typed ? ReadTypeSpec() : null;
                uint objectId = _session.EnterObject(instance: null);
                return new Field(tag, delta, objectType, objectId);
            default:
                return new Field(tag, delta, typed ? ReadTypeSpec() : null, 0);
        }
    }

    /// <summary>Skips the payload of a value the reader does not want (an unknown field), guided by its wire type.</summary>
    public void SkipField(Field field)
    {
        switch (field.WireType)
        {
            case WireType.VarInt:
            case WireType.SignedVarInt:
                ReadVarUInt64();
                break;
            case WireType.Fixed32:
                ReadSpan(4);
                break;
            case WireType.Fixed64:
                ReadSpan(8);
                break;
            case WireType.LengthPrefixed:
                ReadLengthPrefixed();
                break;
            case WireType.Object:
                while (true)
                {
                    Field inner = ReadFieldHeader();
                    if (inner.IsEndObject)
                    {
                        break;
                    }

                    if (!inner.IsEnd)
                    {
                        SkipField(inner);
                    }
                }

                break;
            case WireType.Special:
                break;
            default:
                throw Error($"cannot skip a {field.WireType} header");
        }
    }

    /// <summary>Skips every remaining field of the current object up to and including its EndObject.</summary>
    public void SkipToEndObject()
    {
        while (true)
        {
            Field field = ReadFieldHeader();
            if (field.IsEndObject)
            {
                return;
            }

            if (!field.IsEnd)
            {
                SkipField(field);
            }
        }
    }

    /// <summary>Creates a <see cref="WireFormatException"/> at the current offset.</summary>
    public readonly WireFormatException Error(string message) => new(message, _position);

    /// <summary>Creates the error for a value whose wire type does not fit the reader's member type.</summary>
    public readonly WireFormatException WireTypeMismatch(Field field, Type expected) =>
        new($"a {field.WireType} value where a '{TypeNames.Display(expected)}' was expected: the member's type differs from the writer's", _position);

    internal void EnsureEnd()
    {
        if (_position != _data.Length)
        {
            throw Error($"{_data.Length - _position} bytes left over after the value");
        }
    }

    private TypeEntry ReadTypeSpec(int depth = 0)
    {
        if (depth > MaxTypeSpecDepth)
        {
            throw Error($"a type name nests more than {MaxTypeSpecDepth} levels of type arguments");
        }

        uint code = ReadVarUInt32();
        if (code >= WireFormat.TypeSpecFirstBackReference)
        {
            return _session.GetReadType(code - WireFormat.TypeSpecFirstBackReference, _position);
        }

        TypeEntry entry;
        TypeRegistry types = _session.Provider.Types;
        if (code == WireFormat.TypeSpecArray)
        {
            uint rank = ReadVarUInt32();
            if (rank > 32)
            {
                throw Error($"array rank {rank} exceeds 32");
            }

            entry = types.ResolveArray(ReadTypeSpec(depth + 1), (int)rank);
        }
        else
        {
            bool wellKnown = code == WireFormat.TypeSpecWellKnown;
            uint id = wellKnown ? ReadVarUInt32() : 0;
            string? name = wellKnown ? null : ReadStringPayload();
            uint arity = ReadVarUInt32();
            if (arity > 64)
            {
                throw Error($"generic arity {arity} exceeds 64");
            }

            TypeEntry[] arguments = arity == 0 ? [] : new TypeEntry[arity];
            for (int i = 0; i < arguments.Length; i++)
            {
                arguments[i] = ReadTypeSpec(depth + 1);
            }

            entry = wellKnown ? types.ResolveWellKnown(id, arguments) : types.ResolveNamed(name!, arguments);
        }

        _session.AddReadType(entry);
        return entry;
    }

    private ulong ReadVarUInt64Slow()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 63 && b > 1)
            {
                throw Error("varuint overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Error("varuint longer than 10 bytes");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTruncated(int needed) =>
        throw new WireFormatException($"the data ends early: {needed} more bytes needed, {_data.Length - _position} left", _position);
}
