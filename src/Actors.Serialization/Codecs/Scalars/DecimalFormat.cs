using System.Buffers.Binary;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="decimal"/> as 16 LengthPrefixed bytes: the four 32-bit words of <see cref="decimal.GetBits(decimal)"/>, little-endian.</summary>
public struct DecimalFormat : IScalarFormat<decimal>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        Span<byte> bytes = writer.GetSpan(17);
        bytes[0] = 16;
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes[(1 + (4 * i))..], bits[i]);
        }

        writer.Advance(17);
    }

    /// <inheritdoc />
    public static decimal ReadPayload(ref Reader reader, Field field)
    {
        ReadOnlySpan<byte> bytes = Integers.ReadFixedLength(ref reader, field, 16, typeof(decimal));
        Span<int> bits = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]);
        }

        try
        {
            return new decimal(bits);
        }
        catch (ArgumentException)
        {
            throw reader.Error("the bytes are not a valid decimal (bad scale or sign word)");
        }
    }
}
