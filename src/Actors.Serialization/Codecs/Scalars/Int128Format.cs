using System.Buffers.Binary;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="Int128"/> as 16 LengthPrefixed bytes, two's complement little-endian.</summary>
public struct Int128Format : IScalarFormat<Int128>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, Int128 value)
    {
        Span<byte> bytes = writer.GetSpan(17);
        bytes[0] = 16;
        BinaryPrimitives.WriteInt128LittleEndian(bytes[1..], value);
        writer.Advance(17);
    }

    /// <inheritdoc />
    public static Int128 ReadPayload(ref Reader reader, Field field) =>
        BinaryPrimitives.ReadInt128LittleEndian(Integers.ReadFixedLength(ref reader, field, 16, typeof(Int128)));
}
