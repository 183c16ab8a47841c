using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Actors.Cluster.Messaging;

/// <summary>
/// Writes the little-endian fields of cluster frames and message payloads into a growable buffer: integers,
/// strings (<c>ByteCount:u32 | UTF-8</c>) and blobs (<c>ByteCount:u32 | bytes</c>).
/// </summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public WireWriter(int initialCapacity = 256)
    {
        _buffer = new ArrayBufferWriter<byte>(initialCapacity);
    }

    public int Length => _buffer.WrittenCount;

    public WireWriter Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public WireWriter UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public WireWriter UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public WireWriter Int32(int value) => UInt32(unchecked((uint)value));

    public WireWriter UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public WireWriter Int64(long value) => UInt64(unchecked((ulong)value));

    public WireWriter Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public WireWriter String(string value)
    {
        int count = WireReader.StrictUtf8.GetByteCount(value);
        UInt32((uint)count);
        WireReader.StrictUtf8.GetBytes(value, _buffer.GetSpan(count));
        _buffer.Advance(count);
        return this;
    }

    /// <summary>A string that may be null: a presence byte, then the string.</summary>
    public WireWriter NullableString(string? value) => value is null ? Bool(false) : Bool(true).String(value);

    public WireWriter Blob(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        return Raw(value);
    }

    public WireWriter Raw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
        return this;
    }

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}

/// <summary>
/// Reads what <see cref="WireWriter"/> wrote. Every read checks the remaining length first; a field that overruns the
/// input, invalid UTF-8 or bytes left over are a <see cref="SiloProtocolException"/>, never an out-of-range access.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> input)
{
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ReadOnlySpan<byte> _rest = input;

    public readonly int Remaining => _rest.Length;

    public byte Byte() => Take(1, "byte")[0];

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        byte b => throw new SiloProtocolException($"a boolean field holds {b}"),
    };

    public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "u16"));

    public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "u32"));

    public int Int32() => unchecked((int)UInt32());

    public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "u64"));

    public long Int64() => unchecked((long)UInt64());

    public string String()
    {
        ReadOnlySpan<byte> bytes = Take(UInt32(), "string");
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new SiloProtocolException("a string field is not valid UTF-8");
        }
    }

    public string? NullableString() => Bool() ? String() : null;

    public byte[] Blob() => Take(UInt32(), "blob").ToArray();

    public ReadOnlySpan<byte> BlobSpan() => Take(UInt32(), "blob");

    /// <summary>Everything not read yet.</summary>
    public ReadOnlySpan<byte> Rest()
    {
        ReadOnlySpan<byte> rest = _rest;
        _rest = default;
        return rest;
    }

    /// <summary>A count field bounded by what the rest of the input could hold (each item at least <paramref name="minItemBytes"/>).</summary>
    public int Count(int minItemBytes, string what)
    {
        uint count = UInt32();
        if (count > (uint)(_rest.Length / Math.Max(1, minItemBytes)))
        {
            throw new SiloProtocolException($"{what} count {count} cannot fit in the {_rest.Length} bytes left");
        }

        return (int)count;
    }

    public readonly void End(string what)
    {
        if (!_rest.IsEmpty)
        {
            throw new SiloProtocolException($"{_rest.Length} unexpected bytes after the last field of {what}");
        }
    }

    private ReadOnlySpan<byte> Take(uint count, string field)
    {
        if (count > (uint)_rest.Length)
        {
            throw new SiloProtocolException($"truncated {field} field: needs {count} bytes, {_rest.Length} left");
        }

        ReadOnlySpan<byte> taken = _rest[..(int)count];
        _rest = _rest[(int)count..];
        return taken;
    }
}
