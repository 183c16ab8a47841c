using System.Buffers.Binary;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="UInt128"/> as 16 LengthPrefixed bytes, little-endian.</summary>
public struct UInt128Format : IScalarFormat<UInt128>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, UInt128 value)
    {
        Span<byte> bytes = writer.GetSpan(17);
        bytes[0] = 16;
        BinaryPrimitives.WriteUInt128LittleEndian(bytes[1..], value);
        writer.Advance(17);
    }

    /// <inheritdoc />
    public static UInt128 ReadPayload(ref Reader reader, Field field) =>
        BinaryPrimitives.ReadUInt128LittleEndian(Integers.ReadFixedLength(ref reader, field, 16, typeof(UInt128)));
}
