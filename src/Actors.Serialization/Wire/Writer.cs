using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Actors.Serialization.Wire;

/// <summary>
/// Appends one message to a growable buffer owned by its <see cref="SerializerSession"/>. Codecs receive it by
/// <c>ref</c>; the format is described in <see cref="WireFormat"/>.
/// </summary>
/// <remarks>Not thread-safe; lives for one <c>Serialize</c> call.</remarks>
public ref struct Writer
{
    private const int MaxStackUtf8Chars = 42; // 42 chars encode to at most 126 bytes: a one-byte length prefix.

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SerializerSession _session;
    private byte[] _buffer;
    private int _position;

    internal Writer(SerializerSession session)
    {
        _session = session;
        _buffer = session.TakeWriteBuffer();
        _position = 0;
    }

    /// <summary>The session: references written so far, the codec provider and the caller's context.</summary>
    public readonly SerializerSession Session => _session;

    /// <summary>The number of bytes written so far.</summary>
    public readonly int Position => _position;

    /// <summary>The bytes written so far (valid until the next write).</summary>
    internal readonly ReadOnlySpan<byte> WrittenSpan => new(_buffer, 0, _position);

    /// <summary>Hands the (possibly grown) buffer back to the session for reuse.</summary>
    internal readonly void ReturnBuffer() => _session.ReturnWriteBuffer(_buffer);

    /// <summary>Writes one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if ((uint)_position >= (uint)_buffer.Length)
        {
            Grow(1);
        }

        _buffer[_position++] = value;
    }

    /// <summary>Returns a span of at least <paramref name="sizeHint"/> bytes to write into; call <see cref="Advance"/> after.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_position);
    }

    /// <summary>Commits <paramref name="count"/> bytes written into the span from <see cref="GetSpan"/>.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _position);
        _position += count;
    }

    /// <summary>Writes an unsigned LEB128 integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarUInt32(uint value)
    {
        if (value < 0x80 && (uint)_position < (uint)_buffer.Length)
        {
            _buffer[_position++] = (byte)value;
            return;
        }

        WriteVarUInt64(value);
    }

    /// <summary>Writes an unsigned LEB128 integer.</summary>
    public void WriteVarUInt64(ulong value)
    {
        EnsureCapacity(10);
        byte[] buffer = _buffer;
        int position = _position;
        while (value >= 0x80)
        {
            buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[position++] = (byte)value;
        _position = position;
    }

    /// <summary>Writes a signed integer as a zigzag-encoded LEB128 integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes four bytes, little-endian.</summary>
    public void WriteUInt32(uint value)
    {
        EnsureCapacity(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    /// <summary>Writes eight bytes, little-endian.</summary>
    public void WriteUInt64(ulong value)
    {
        EnsureCapacity(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    /// <summary>Writes raw bytes.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>Writes a LengthPrefixed payload: the length as a varuint, then the bytes.</summary>
    public void WriteLengthPrefixed(scoped ReadOnlySpan<byte> bytes)
    {
        WriteVarUInt32((uint)bytes.Length);
        WriteBytes(bytes);
    }

    /// <summary>Writes a string as a LengthPrefixed UTF-8 payload.</summary>
    /// <exception cref="SerializerException">The string holds a lone surrogate (it has no UTF-8 form; replacing it would alter the data).</exception>
    public void WriteStringPayload(string value)
    {
        try
        {
            if (value.Length <= MaxStackUtf8Chars)
            {
                // At most 126 bytes: reserve the one-byte length, encode, then fill the length in.
                EnsureCapacity(1 + (MaxStackUtf8Chars * 3));
                int written = StrictUtf8.GetBytes(value, _buffer.AsSpan(_position + 1));
                _buffer[_position] = (byte)written;
                _position += 1 + written;
                return;
            }

            int byteCount = StrictUtf8.GetByteCount(value);
            WriteVarUInt32((uint)byteCount);
            EnsureCapacity(byteCount);
            _position += StrictUtf8.GetBytes(value, _buffer.AsSpan(_position));
        }
        catch (EncoderFallbackException ex)
        {
            throw new SerializerException($"A string holds a lone UTF-16 surrogate at index {ex.Index} and has no UTF-8 form; it cannot be serialized without altering it.", ex);
        }
    }

    /// <summary>Writes the header of a value of the expected type (no TypeSpec).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteFieldHeaderExpected(uint fieldIdDelta, WireType wireType)
    {
        if (fieldIdDelta <= WireFormat.MaxInlineDelta)
        {
            WriteByte((byte)((fieldIdDelta << 4) | (uint)wireType));
            return;
        }

        WriteByte((byte)((WireFormat.ExtendedDeltaMarker << 4) | (uint)wireType));
        WriteVarUInt32(fieldIdDelta - WireFormat.ExtendedDeltaMarker);
    }

    /// <summary>
    /// Writes a value header; when <paramref name="actualType"/> differs from <paramref name="expectedType"/> the header is
    /// typed and names <paramref name="actualType"/> so the reader can pick its codec.
    /// </summary>
    public void WriteFieldHeader(uint fieldIdDelta, Type expectedType, Type actualType, WireType wireType)
    {
        if (ReferenceEquals(expectedType, actualType))
        {
            WriteFieldHeaderExpected(fieldIdDelta, wireType);
            return;
        }

        WriteFieldHeaderExpected(fieldIdDelta, (WireType)(WireFormat.TypedFlag | (byte)wireType));
        WriteTypeSpec(actualType);
    }

    /// <summary>Writes a Null value.</summary>
    public void WriteNull(uint fieldIdDelta) => WriteFieldHeaderExpected(fieldIdDelta, (WireType)WireFormat.NullLowBits);

    /// <summary>
    /// Writes a Null when <paramref name="value"/> is null, or a Reference when the same instance was already written in
    /// this message. Returns false when the value must be written in full (then call a <c>WriteStartObject</c> overload
    /// that records it).
    /// </summary>
    public bool TryWriteNullOrReference(uint fieldIdDelta, object? value)
    {
        if (value is null)
        {
            WriteNull(fieldIdDelta);
            return true;
        }

        if (_session.TryGetWrittenObject(value, out uint objectId))
        {
            WriteFieldHeaderExpected(fieldIdDelta, (WireType)WireFormat.ReferenceLowBits);
            WriteVarUInt32(objectId);
            return true;
        }

        return false;
    }

    /// <summary>Starts an Object value that has no identity to preserve (a struct); pair with <see cref="WriteEndObject"/>.</summary>
    public void WriteStartObject(uint fieldIdDelta, Type expectedType, Type actualType)
    {
        WriteFieldHeader(fieldIdDelta, expectedType, actualType, WireType.Object);
        _session.EnterObject(instance: null);
    }

    /// <summary>
    /// Starts an Object value and records <paramref name="instance"/> so later occurrences are written as references; pair
    /// with <see cref="WriteEndObject"/>.
    /// </summary>
    public void WriteStartObject(uint fieldIdDelta, Type expectedType, Type actualType, object instance)
    {
        WriteFieldHeader(fieldIdDelta, expectedType, actualType, WireType.Object);
        _session.EnterObject(instance);
    }

    /// <summary>Ends the innermost Object value.</summary>
    public void WriteEndObject()
    {
        WriteByte(WireFormat.EndObjectTag);
        _session.ExitObject();
    }

    /// <summary>Ends the fields of a base class inside an Object value; the next class's field ids restart at 0.</summary>
    public void WriteEndBase() => WriteByte(WireFormat.EndBaseTag);

    /// <summary>Writes a TypeSpec naming <paramref name="type"/> (a back-reference when it was written before in this message).</summary>
    public void WriteTypeSpec(Type type)
    {
        if (_session.TryGetWrittenType(type, out uint index))
        {
            WriteVarUInt32(WireFormat.TypeSpecFirstBackReference + index);
            return;
        }

        if (type.IsArray)
        {
            WriteVarUInt32(WireFormat.TypeSpecArray);
            WriteVarUInt32(type.IsSZArray ? 0u : (uint)type.GetArrayRank());
            WriteTypeSpec(type.GetElementType()!);
        }
        else
        {
            Type definition = type.IsConstructedGenericType ? type.GetGenericTypeDefinition() : type;
            WireTypeName name = _session.Provider.Types.GetWireName(definition);
            if (name.WellKnownId != 0)
            {
                WriteVarUInt32(WireFormat.TypeSpecWellKnown);
                WriteVarUInt32(name.WellKnownId);
            }
            else
            {
                WriteVarUInt32(WireFormat.TypeSpecNamed);
                WriteStringPayload(name.Name!);
            }

            Type[] arguments = type.IsConstructedGenericType ? type.GenericTypeArguments : [];
            WriteVarUInt32((uint)arguments.Length);
            foreach (Type argument in arguments)
            {
                WriteTypeSpec(argument);
            }
        }

        _session.AddWrittenType(type);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureCapacity(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Grow(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        int required = checked(_position + count);
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(required, _buffer.Length * 2));
        _buffer.AsSpan(0, _position).CopyTo(larger);
        SerializerSession.ReleaseGrownBuffer(_buffer);
        _buffer = larger;
    }
}
